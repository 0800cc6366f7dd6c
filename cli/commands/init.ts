import { defineCommand } from 'citty';
import { init } from '../actions/init.js';
import { dataDirOf, pathOption, refusing } from '../operator.js';
import { readSecret } from '../passphrase.js';
import { type CliApp, noExtraWords, outputArgs, outputFor } from './shared.js';

/** `corridor init`: set up a new node's data directory, org key and settings (issue 6). */
export function initCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'init', description: t('help.init') },
    args: {
      'data-dir': { type: 'string', description: t('arg.init.dataDir'), valueHint: 'dir' },
      org: { type: 'string', description: t('arg.init.org'), valueHint: 'org:name' },
      node: { type: 'string', description: t('arg.init.node'), valueHint: 'node:name' },
      url: { type: 'string', description: t('arg.init.url'), valueHint: 'https://…' },
      port: { type: 'string', description: t('arg.init.port'), valueHint: '4000' },
      host: { type: 'string', description: t('arg.init.host'), valueHint: '127.0.0.1' },
      'passphrase-file': { type: 'string', description: t('arg.passphraseFile'), valueHint: 'file' },
      'key-file': { type: 'string', description: t('arg.init.keyFile'), valueHint: 'file' },
      ...outputArgs(t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      const dataDir = dataDirOf(args['data-dir'], app.env);
      const json = args.json === true;
      const keyFile = args['key-file'] === undefined ? undefined : pathOption(args['key-file'], '--key-file');
      const passphrase = () => readSecret(app, { option: '--passphrase-file', file: args['passphrase-file'], prompt: 'passphrase.new', confirm: 'passphrase.again' });
      await refusing(app, json, () => init(outputFor(app, json), t, { dataDir, org: args.org, node: args.node, url: args.url, port: args.port, host: args.host, passphrase, keyFile }));
    },
  });
}
