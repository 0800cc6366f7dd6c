import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SigningKey, fromBase64Url, randomBytes, toBase64Url } from '../../protocol/index.js';

/**
 * Secrets kept as files in the data directory, readable by the operator's account only (0600):
 * the local API token and, until the operator moves it offline (issue 6: `corridor init` and
 * key ceremony), the organisation's org key. Never logged.
 */

function readOrCreate(path: string, create: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = create();
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return value;
}

export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

export function localToken(dataDir: string): string {
  return readOrCreate(join(dataDir, 'local-token'), () => toBase64Url(randomBytes(32)));
}

export function orgKeyFile(dataDir: string): SigningKey {
  const text = readOrCreate(join(dataDir, 'org-key'), () => {
    const key = SigningKey.generate('org');
    return toBase64Url(key.exportSeed());
  });
  const seed = fromBase64Url(text);
  if (!seed || seed.length !== 32) throw new Error(`the org key file in ${dataDir} is damaged`);
  return SigningKey.fromSeed('org', seed);
}

/** The org key if it is still in the data directory (never created here): signing our directory entry needs it. */
export function readOrgKey(dataDir: string): SigningKey | null {
  const path = join(dataDir, 'org-key');
  if (!existsSync(path)) return null;
  const seed = fromBase64Url(readFileSync(path, 'utf8').trim());
  if (!seed || seed.length !== 32) throw new Error(`the org key file in ${dataDir} is damaged`);
  return SigningKey.fromSeed('org', seed);
}
