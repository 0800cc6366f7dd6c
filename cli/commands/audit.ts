import { defineCommand } from 'citty';
import { auditVerify } from '../actions/audit.js';
import { nodeFlagFor } from '../operator.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';

/** `corridor audit`: the node's tamper-evident audit log. */
export function auditCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'audit', description: app.t('help.audit') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    subCommands: {
      verify: () =>
        defineCommand({
          meta: { name: 'verify', description: app.t('help.audit.verify') },
          args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
          async run({ args }) {
            noExtraWords(app, args._, 0);
            const node = await nodeFlagFor(args.node, args['data-dir'], app.env);
            await withNode(app, { ...args, node }, (ctx) => auditVerify(ctx));
          },
        }),
    },
  });
}
