import { defineCommand } from 'citty';
import { directoryShow } from '../actions/directory-show.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as v from './values.js';

export function directoryShowCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'show', description: app.t('help.directory.show') },
    args: {
      org: { type: 'positional', required: false, description: app.t('arg.org') },
      ...connectionArgs(app.t),
      ...outputArgs(app.t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const org = v.org(args.org, app.path);
      await withNode(app, args, (ctx) => directoryShow(ctx, org));
    },
  });
}
