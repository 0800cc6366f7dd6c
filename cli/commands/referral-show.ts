import { defineCommand } from 'citty';
import { referralList, referralShow } from '../actions/referral.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';
import * as v from './values.js';

/** `corridor referral list` (both ways) and `corridor referral show <id>` (with its history). */

const STATES = ['offered', 'accepted', 'declined', 'handed-over', 'closed', 'revoked'] as const;

export function referralListCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'list', description: t('help.referral.list') },
    args: {
      direction: { type: 'string', description: t('arg.direction'), valueHint: 'incoming|outgoing' },
      state: { type: 'string', description: t('arg.referralState'), valueHint: 'offered' },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      const direction = v.choice(args.direction, '--direction', ['incoming', 'outgoing'] as const);
      const state = v.choice(args.state, '--state', STATES);
      await withNode(app, args, (ctx) => referralList(ctx, { direction, state }));
    },
  });
}

export function referralShowCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'show', description: app.t('help.referral.show') },
    args: { id: { type: 'positional', required: false, description: app.t('arg.referralId') }, ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const referralId = cv.id(args.id, 'REFERRAL', app);
      await withNode(app, args, (ctx) => referralShow(ctx, referralId));
    },
  });
}
