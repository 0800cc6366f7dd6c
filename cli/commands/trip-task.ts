import { defineCommand } from 'citty';
import { TaskKind, TaskStatus, Ulid, newId } from '../../protocol/index.js';
import { tripTask } from '../actions/trip.js';
import type { TaskChange } from '../api/trips.js';
import { UsageError } from '../errors.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';
import { owner } from './trip-plan.js';
import * as v from './values.js';

/**
 * `corridor trip task <tripId> <taskId|new> [--kind …] [--owner org:x] [--due YYYY-MM-DD]
 * [--status open|in-progress|done|cancelled] [--note "…"]`: `new` adds a task (kind, owner and
 * due needed; its id is made here, as the route asks), a task id changes that task.
 */

export function tripTaskCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'task', description: t('help.trip.task') },
    args: {
      trip: { type: 'positional', required: false, description: t('arg.tripId') },
      task: { type: 'positional', required: false, description: t('arg.taskId') },
      kind: { type: 'string', description: t('arg.taskKind'), valueHint: 'tickets' },
      owner: { type: 'string', description: t('arg.taskOwner'), valueHint: 'org:astra' },
      due: { type: 'string', description: t('arg.taskDue'), valueHint: 'YYYY-MM-DD' },
      status: { type: 'string', description: t('arg.taskStatus'), valueHint: TaskStatus.options.join('|') },
      note: { type: 'string', description: t('arg.taskNote'), valueHint: 'text' },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 2);
      const tripId = cv.id(args.trip, 'TRIP', app);
      const given = cv.id(args.task, 'TASK', app);
      const created = given.toLowerCase() === 'new';
      if (!created && !Ulid.safeParse(given).success) throw new UsageError('usage.badId', { name: 'TASK' });
      const kind = v.choice(args.kind, '--kind', TaskKind.options);
      const who = owner(args.owner, '--owner');
      const due = cv.date(args.due, '--due');
      const status = v.choice(args.status, '--status', TaskStatus.options);
      // an empty note clears it
      const note = args.note === undefined ? undefined : args.note.trim() === '' ? '' : v.text(args.note, '--note', 1000);
      const input: TaskChange = { ...(kind ? { kind } : {}), ...(who ? { owner: who } : {}), ...(due ? { due } : {}), ...(status ? { status } : {}), ...(note !== undefined ? { note } : {}) };
      if (created && (!kind || !who || !due)) throw new UsageError('usage.taskNeeds', { command: app.path });
      if (Object.keys(input).length === 0) throw new UsageError('usage.nothingToChange', { command: app.path });
      const taskId = created ? newId(Date.now()) : given;
      await withNode(app, args, (ctx) => tripTask(ctx, tripId, taskId, input, created));
    },
  });
}
