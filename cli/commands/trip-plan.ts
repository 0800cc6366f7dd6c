import { defineCommand } from 'citty';
import { OrgId, TaskKind, TimeOfDay } from '../../protocol/index.js';
import { tripChange, tripPlan } from '../actions/trip.js';
import { type NewTask, TRIP_MODES, type TripChange } from '../api/trips.js';
import { UsageError } from '../errors.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';
import * as v from './values.js';

/**
 * `corridor trip plan <referralId> --court … --city … --country AT --date YYYY-MM-DD [--time HH:MM]
 * [--reference …] --mode in-person|video-link [--task kind:owner:due …]` and
 * `corridor trip change <tripId> [--date …] [--time …] [--mode …] …`. Like values.ts, a failure
 * names the option, never what was typed.
 */

type Value = string | undefined;

/** `HH:MM`, 24 hours, the local time at the court */
export function time(value: Value, option: string): string | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined) return undefined;
  if (!TimeOfDay.safeParse(trimmed).success) throw new UsageError('usage.badTime', { option });
  return trimmed;
}

/** an organisation as `org:astra`, or `astra` */
export function owner(value: Value, option: string): string | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined) return undefined;
  return cv.orgOption(trimmed.startsWith('org:') ? trimmed : `org:${trimmed}`, option);
}

/** `kind:owner:due`, such as `tickets:org:astra:2027-01-10` (the owner may leave out `org:`) */
export function taskSpec(spec: string, option: string): NewTask {
  const parts = spec.trim().split(':');
  const kind = parts[0]?.toLowerCase() ?? '';
  const due = parts.length >= 3 ? (parts.at(-1) ?? '') : '';
  const who = parts.slice(1, -1).join(':');
  const shaped = TaskKind.safeParse(kind).success && OrgId.safeParse(who.startsWith('org:') ? who : `org:${who}`).success && /^\d{4}-\d{2}-\d{2}$/.test(due);
  if (!shaped) throw new UsageError('usage.badTask', { option });
  return { kind: kind as NewTask['kind'], owner: owner(who, option) as string, due: cv.date(due, option) as string };
}

const hearingArgs = (t: CliApp['t']) =>
  ({
    court: { type: 'string', description: t('arg.court'), valueHint: 'text' },
    city: { type: 'string', description: t('arg.city'), valueHint: 'Wien' },
    country: { type: 'string', description: t('arg.country'), valueHint: 'AT' },
    date: { type: 'string', description: t('arg.hearingDate'), valueHint: 'YYYY-MM-DD' },
    time: { type: 'string', description: t('arg.hearingTime'), valueHint: 'HH:MM' },
    reference: { type: 'string', description: t('arg.courtReference'), valueHint: 'text' },
    mode: { type: 'string', description: t('arg.tripMode'), valueHint: TRIP_MODES.join('|') },
  }) as const;

interface HearingFlags {
  court?: Value;
  city?: Value;
  country?: Value;
  date?: Value;
  time?: Value;
  reference?: Value;
  mode?: Value;
}

function hearingFrom(args: HearingFlags) {
  const court = v.text(args.court, '--court', 200);
  const city = v.text(args.city, '--city', 100);
  const country = v.country(args.country, '--country');
  const date = cv.date(args.date, '--date');
  const at = time(args.time, '--time');
  const reference = v.text(args.reference, '--reference', 100);
  const mode = v.choice(args.mode, '--mode', TRIP_MODES);
  const hearing = { ...(court ? { court } : {}), ...(city ? { city } : {}), ...(country ? { country } : {}), ...(date ? { date } : {}), ...(at ? { time: at } : {}), ...(reference ? { reference } : {}) };
  return { hearing, mode };
}

export function tripPlanCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'plan', description: t('help.trip.plan') },
    args: {
      referral: { type: 'positional', required: false, description: t('arg.referralId') },
      ...hearingArgs(t),
      task: { type: 'string', description: t('arg.task'), valueHint: 'kind:owner:due' },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args, rawArgs }) {
      noExtraWords(app, args._, 1);
      const referralId = cv.id(args.referral, 'REFERRAL', app);
      const { hearing, mode } = hearingFrom(args);
      const tasks = v.repeated(rawArgs, 'task').map((spec) => taskSpec(spec, '--task'));
      if (tasks.length > 50) throw new UsageError('usage.badNumber', { option: '--task', min: 0, max: 50 });
      const input = {
        hearing: {
          ...hearing,
          court: cv.required(hearing.court, '--court', app),
          city: cv.required(hearing.city, '--city', app),
          country: cv.required(hearing.country, '--country', app),
          date: cv.required(hearing.date, '--date', app),
        },
        mode: cv.required(mode, '--mode', app),
        ...(tasks.length > 0 ? { tasks } : {}),
      };
      await withNode(app, args, (ctx) => tripPlan(ctx, referralId, input));
    },
  });
}

export function tripChangeCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'change', description: t('help.trip.change') },
    args: { trip: { type: 'positional', required: false, description: t('arg.tripId') }, ...hearingArgs(t), ...connectionArgs(t), ...outputArgs(t) },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const tripId = cv.id(args.trip, 'TRIP', app);
      const { hearing, mode } = hearingFrom(args);
      if (Object.keys(hearing).length === 0 && !mode) throw new UsageError('usage.nothingToChange', { command: app.path });
      const input: TripChange = { ...(Object.keys(hearing).length > 0 ? { hearing } : {}), ...(mode ? { mode } : {}) };
      await withNode(app, args, (ctx) => tripChange(ctx, tripId, input));
    },
  });
}
