import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolError, SigningKey, fromBase64Url, isSealedFile, openSealedFile, randomBytes, sealFile, toBase64Url } from '../../protocol/index.js';

/**
 * Secrets kept as files in the data directory, readable by the operator's account only (0600):
 * the local API token (not personal data: the CLI on this machine reads it) and, until the
 * operator moves it offline (issue 6: `corridor init` and key ceremony), the organisation's org
 * key, sealed under a key derived from the database key (ADR 0014), so a stolen data directory
 * without the passphrase holds no usable org key either. Never logged.
 */

export const ORG_KEY_FILE = 'org-key';

function readOrCreate(path: string, create: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = create();
  writeFileSync(path, value.endsWith('\n') ? value : `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return value.trim();
}

export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

export function localToken(dataDir: string): string {
  return readOrCreate(join(dataDir, 'local-token'), () => toBase64Url(randomBytes(32)));
}

const damaged = (dataDir: string) =>
  new ProtocolError('KeyRingDamaged', `the org key file in ${dataDir} is damaged or sealed under another key`, { issues: [{ path: ORG_KEY_FILE, problem: 'does_not_open' }] });

/** The seed in an org-key file: sealed (`key` given), or, without a database key (benchmark baseline only), plain. */
function seedOf(text: string, key: Uint8Array | null, dataDir: string): Uint8Array {
  const seed = key !== null && isSealedFile(text) ? openSealedFile(text, key) : key === null ? fromBase64Url(text.trim()) : null;
  if (!seed || seed.length !== 32) throw damaged(dataDir);
  return seed;
}

/** The org key from the data directory, created (sealed) when there is none. */
export function orgKeyFile(dataDir: string, key: Uint8Array | null): SigningKey {
  const text = readOrCreate(join(dataDir, ORG_KEY_FILE), () => {
    const seed = SigningKey.generate('org').exportSeed();
    return key === null ? toBase64Url(seed) : sealFile(seed, key);
  });
  return SigningKey.fromSeed('org', seedOf(text, key, dataDir));
}

/** The org key if it is still in the data directory (never created here): signing our directory entry needs it. */
export function readOrgKey(dataDir: string, key: Uint8Array | null): SigningKey | null {
  const path = join(dataDir, ORG_KEY_FILE);
  if (!existsSync(path)) return null;
  return SigningKey.fromSeed('org', seedOf(readFileSync(path, 'utf8'), key, dataDir));
}
