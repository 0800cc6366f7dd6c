import { defineCommand } from 'citty';
import { keysRotate } from '../actions/keys.js';
import { nodeFlagFor } from '../operator.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';

/** `corridor keys`: the node's keys; `corridor keys rotate`: a new prekey now. */
export function keysCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'keys', description: app.t('help.keys') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    subCommands: {
      rotate: () =>
        defineCommand({
          meta: { name: 'rotate', description: app.t('help.keys.rotate') },
          args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
          async run({ args }) {
            noExtraWords(app, args._, 0);
            const node = await nodeFlagFor(args.node, args['data-dir'], app.env);
            await withNode(app, { ...args, node }, (ctx) => keysRotate(ctx));
          },
        }),
    },
  });
}
