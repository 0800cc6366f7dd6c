import { defineCommand } from 'citty';
import { backup, checkBackupTarget } from '../actions/backup.js';
import { restore } from '../actions/restore.js';
import { dataDirOf, nodeFlagFor, pathOption, refusing } from '../operator.js';
import { unlockFrom } from '../passphrase.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, outputFor, withNode } from './shared.js';

/** `corridor backup --out D` (node running) and `corridor restore --from B --data-dir D` (node stopped). */

export function backupCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'backup', description: t('help.backup') },
    args: { out: { type: 'string', description: t('arg.backup.out'), valueHint: 'dir' }, ...connectionArgs(t), ...outputArgs(t) },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      const out = pathOption(args.out, '--out');
      const node = await nodeFlagFor(args.node, args['data-dir'], app.env);
      await refusing(app, args.json === true, async () => {
        await checkBackupTarget(out);
        await withNode(app, { ...args, node }, (ctx) => backup(ctx, { out }));
        return app.exitCode;
      });
    },
  });
}

export function restoreCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'restore', description: t('help.restore') },
    args: {
      from: { type: 'string', description: t('arg.restore.from'), valueHint: 'dir' },
      'data-dir': { type: 'string', description: t('arg.restore.dataDir'), valueHint: 'dir' },
      'passphrase-file': { type: 'string', description: t('arg.passphraseFile'), valueHint: 'file' },
      'recovery-key-file': { type: 'string', description: t('arg.recoveryKeyFile'), valueHint: 'file' },
      ...outputArgs(t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      const from = pathOption(args.from, '--from');
      const dataDir = dataDirOf(args['data-dir'], app.env);
      const json = args.json === true;
      const unlock = () => unlockFrom(app, args['passphrase-file'], args['recovery-key-file']);
      await refusing(app, json, () => restore(outputFor(app, json), t, { from, dataDir, fetch: app.fetch, unlock }));
    },
  });
}
