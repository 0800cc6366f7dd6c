import { defineCommand } from 'citty';
import { KeyId } from '../../protocol/index.js';
import { keysRevoke, keysRotate } from '../actions/keys.js';
import { changePassphrase } from '../actions/passphrase.js';
import { UsageError } from '../errors.js';
import { dataDirOf, nodeFlagFor, refusing } from '../operator.js';
import { readSecret, unlockFrom } from '../passphrase.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, outputFor, withNode } from './shared.js';
import { choice } from './values.js';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?Z)?$/;

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]Z`, UTC, a real calendar moment → Unix seconds */
export function instant(value: string | undefined, option: string): number {
  const m = value === undefined ? null : INSTANT.exec(value.trim());
  if (!m) throw new UsageError('usage.badInstant', { option });
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59 || y < 2000) throw new UsageError('usage.badInstant', { option });
  return Math.floor(ms / 1000);
}

/** `corridor keys`: the node's keys; `rotate`: a new prekey (or node key) now; `revoke`: a leaked key; `passphrase`: a new passphrase. */
export function keysCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'keys', description: app.t('help.keys') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    subCommands: {
      rotate: () =>
        defineCommand({
          meta: { name: 'rotate', description: app.t('help.keys.rotate') },
          args: { 'node-key': { type: 'boolean', description: app.t('arg.nodeKey') }, ...connectionArgs(app.t), ...outputArgs(app.t) },
          async run({ args }) {
            noExtraWords(app, args._, 0);
            const node = await nodeFlagFor(args.node, args['data-dir'], app.env);
            await withNode(app, { ...args, node }, (ctx) => keysRotate(ctx, { nodeKey: args['node-key'] === true }));
          },
        }),
      revoke: () =>
        defineCommand({
          meta: { name: 'revoke', description: app.t('help.keys.revoke') },
          args: {
            kid: { type: 'positional', required: false, description: app.t('arg.keyId') },
            'compromised-since': { type: 'string', description: app.t('arg.compromisedSince'), valueHint: 'YYYY-MM-DDTHH:MMZ' },
            reason: { type: 'string', description: app.t('arg.revokeReason'), valueHint: 'compromised|device-lost|retired' },
            ...connectionArgs(app.t),
            ...outputArgs(app.t),
          },
          async run({ args }) {
            noExtraWords(app, args._, 1);
            const kid = typeof args.kid === 'string' ? args.kid.trim() : '';
            if (kid === '') throw new UsageError('usage.missingArgument', { name: 'KID', command: 'corridor keys revoke' });
            if (!KeyId.safeParse(kid).success || !kid.startsWith('nsk-')) throw new UsageError('usage.badKeyId', { option: 'KID' });
            const since = args['compromised-since'];
            if (since === undefined) throw new UsageError('usage.missingArgument', { name: '--compromised-since', command: 'corridor keys revoke' });
            const compromisedSince = instant(since, '--compromised-since');
            const reason = choice(args.reason, '--reason', ['compromised', 'device-lost', 'retired'] as const);
            const node = await nodeFlagFor(args.node, args['data-dir'], app.env);
            await withNode(app, { ...args, node }, (ctx) => keysRevoke(ctx, { kid, compromisedSince, ...(reason ? { reason } : {}) }));
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
