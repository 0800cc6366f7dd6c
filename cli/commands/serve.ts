import { defineCommand } from 'citty';
import { join } from 'node:path';
import { NODE_ENV_FILE, Refusal, dataDirOf, readNodeEnv, refusing } from '../operator.js';
import { serveNode } from '../serve.js';
import { KEY_RING_FILE, readKeyRingFile, unlockRing } from '../key-ring.js';
import { firstLineOf, readSecret } from '../passphrase.js';
import { type CliApp, noExtraWords, outputArgs, outputFor } from './shared.js';

/** `corridor serve --data-dir D`: run the node set up by `corridor init`, until Ctrl-C. */
export function serveCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'serve', description: t('help.serve') },
    args: {
      'data-dir': { type: 'string', description: t('arg.dataDir'), valueHint: 'dir' },
      'passphrase-file': { type: 'string', description: t('arg.passphraseFile'), valueHint: 'file' },
      ...outputArgs(t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      const dataDir = dataDirOf(args['data-dir'], app.env);
      const json = args.json === true;
      await refusing(app, json, async () => {
        const settings = await readNodeEnv(dataDir);
        if (settings === null) throw new Refusal('serve.noNodeEnv', { file: join(dataDir, NODE_ENV_FILE) });
        // unlock here first: a wrong passphrase is one line and the node never starts
        let passphrase: string | null = null;
        const ring = await readKeyRingFile(join(dataDir, KEY_RING_FILE));
        if (settings.CORRIDOR_KEY_FILE === undefined || settings.CORRIDOR_KEY_FILE === '') {
          passphrase = await readSecret(app, { option: '--passphrase-file', file: args['passphrase-file'], prompt: 'passphrase.current' });
          await unlockRing(ring, { passphrase });
        } else {
          // the key file's key (the node checks its permissions and place again)
          await unlockRing(ring, { recoveryKey: await firstLineOf(settings.CORRIDOR_KEY_FILE) });
        }
        const out = outputFor(app, json);
        if (!json) app.io.stderr(`${t('serve.starting', { node: settings.CORRIDOR_NODE_ID ?? '?', dir: dataDir })}\n`);
        const code = await serveNode({ dataDir, settings, env: app.env, passphrase });
        if (!json && code !== 0) out.problem(t('serve.stopped', { code }));
        return code;
      });
    },
  });
}
