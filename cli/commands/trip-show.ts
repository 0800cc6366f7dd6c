import { defineCommand } from 'citty';
import { tripList, tripShow } from '../actions/trip.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';
import * as v from './values.js';

/** `corridor trip show <tripId> [--days 7]` and `corridor trip list [--overdue]`. */

export function tripShowCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'show', description: t('help.trip.show') },
    args: {
      trip: { type: 'positional', required: false, description: t('arg.tripId') },
      days: { type: 'string', description: t('arg.days'), valueHint: '7' },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const tripId = cv.id(args.trip, 'TRIP', app);
      const days = v.wholeNumber(args.days, '--days', 0, 365);
      await withNode(app, args, (ctx) => tripShow(ctx, tripId, days));
    },
  });
}

export function tripListCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'list', description: t('help.trip.list') },
    args: { overdue: { type: 'boolean', description: t('arg.overdue') }, ...connectionArgs(t), ...outputArgs(t) },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      await withNode(app, args, (ctx) => tripList(ctx, { overdue: args.overdue === true }));
    },
  });
}
