import { defineCommand } from 'citty';
import { keysRotate } from '../actions/keys.js';
import { changePassphrase } from '../actions/passphrase.js';
import { dataDirOf, nodeFlagFor, refusing } from '../operator.js';
import { readSecret, unlockFrom } from '../passphrase.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, outputFor, withNode } from './shared.js';

/** `corridor keys`: the node's keys; `corridor keys rotate`: a new prekey now; `corridor keys passphrase`: a new passphrase. */
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
      passphrase: () =>
        defineCommand({
          meta: { name: 'passphrase', description: app.t('help.keys.passphrase') },
          args: {
            'data-dir': { type: 'string', description: app.t('arg.dataDir'), valueHint: 'dir' },
            'passphrase-file': { type: 'string', description: app.t('arg.passphraseFile'), valueHint: 'file' },
            'recovery-key-file': { type: 'string', description: app.t('arg.recoveryKeyFile'), valueHint: 'file' },
            'new-passphrase-file': { type: 'string', description: app.t('arg.newPassphraseFile'), valueHint: 'file' },
            ...outputArgs(app.t),
          },
          async run({ args }) {
            noExtraWords(app, args._, 0);
            const dataDir = dataDirOf(args['data-dir'], app.env);
            const json = args.json === true;
            await refusing(app, json, () =>
              changePassphrase(outputFor(app, json), app.t, {
                dataDir,
                current: () => unlockFrom(app, args['passphrase-file'], args['recovery-key-file']),
                next: () => readSecret(app, { option: '--new-passphrase-file', file: args['new-passphrase-file'], prompt: 'passphrase.new', confirm: 'passphrase.again' }),
              }),
            );
          },
        }),
    },
  });
}
