import { defineCommand } from 'citty';
import { directoryExportHsds } from '../actions/directory-export-hsds.js';
import { UsageError } from '../errors.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';

export function directoryExportHsdsCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'export-hsds', description: app.t('help.directory.exportHsds') },
    args: {
      out: { type: 'string', description: app.t('arg.out'), valueHint: 'file' },
      ...connectionArgs(app.t),
      ...outputArgs(app.t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      if (args.out !== undefined && args.out.trim() === '') throw new UsageError('usage.missingValue', { option: '--out' });
      await withNode(app, args, (ctx) => directoryExportHsds(ctx, { out: args.out }));
    },
  });
}
