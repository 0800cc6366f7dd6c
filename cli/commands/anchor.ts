import { defineCommand } from 'citty';
import { anchor } from '../actions/anchor.js';
import { UsageError } from '../errors.js';
import { dataDirOf, pathOption, refusing } from '../operator.js';
import { type CliApp, noExtraWords, outputArgs, outputFor } from './shared.js';

/** `corridor anchor <file> --data-dir D [--trust]`: compare the stewards' fingerprints, then install the anchor. */
export function anchorCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'anchor', description: t('help.anchor') },
    args: {
      file: { type: 'positional', required: false, description: t('arg.anchor.file') },
      'data-dir': { type: 'string', description: t('arg.dataDir'), valueHint: 'dir' },
      trust: { type: 'boolean', description: t('arg.anchor.trust') },
      ...outputArgs(t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      if (args.file === undefined || args.file.trim() === '') throw new UsageError('usage.missingArgument', { name: 'FILE', command: app.path });
      const file = pathOption(args.file, 'FILE');
      const dataDir = dataDirOf(args['data-dir'], app.env);
      const json = args.json === true;
      await refusing(app, json, () => anchor(outputFor(app, json), t, { file, dataDir, trust: args.trust === true }));
    },
  });
}
