import { defineCommand } from 'citty';
import { directorySync } from '../actions/directory-sync.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as v from './values.js';

export function directorySyncCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'sync', description: app.t('help.directory.sync') },
    args: {
      peer: { type: 'string', description: app.t('arg.peer'), valueHint: 'node:astra' },
      ...connectionArgs(app.t),
      ...outputArgs(app.t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      const peer = v.peer(args.peer, '--peer');
      await withNode(app, args, (ctx) => directorySync(ctx, { peer }));
    },
  });
}
