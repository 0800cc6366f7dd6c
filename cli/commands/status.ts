import { defineCommand } from 'citty';
import { operatorStatus } from '../actions/status.js';
import { nodeFlagFor } from '../operator.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';

/** `corridor status`: the operator's one screen (directory, outbox, receipts, alerts, keys). */
export function statusCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'status', description: app.t('help.status') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      const node = await nodeFlagFor(args.node, args['data-dir'], app.env);
      await withNode(app, { ...args, node }, (ctx) => operatorStatus(ctx));
    },
  });
}
