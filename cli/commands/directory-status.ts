import { defineCommand } from 'citty';
import { directoryStatus } from '../actions/directory-status.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';

export function directoryStatusCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'status', description: app.t('help.directory.status') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      await withNode(app, args, (ctx) => directoryStatus(ctx));
    },
  });
}
