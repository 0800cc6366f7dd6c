import { defineCommand } from 'citty';
import { directoryCollect } from '../actions/directory-collect.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';

export function directoryCollectCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'collect', description: app.t('help.directory.collect') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      await withNode(app, args, (ctx) => directoryCollect(ctx));
    },
  });
}
