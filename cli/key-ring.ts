import { chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { type KeyRing, ProtocolError, ready, randomBytes, toBase64Url, formatKey, formatKeyRing, parseKey, parseKeyRing, unlockWithKey, unlockWithPassphrase } from '../protocol/index.js';
import { FileError, UsageError } from './errors.js';
import { Refusal } from './operator.js';

/**
 * The key ring of a data directory (`db-key.json`, ADR 0014) as the operator commands see it:
 * read it, unlock it with a passphrase or the recovery key (before anything is copied or
 * started), write it whole or not at all, and key files (0600, outside the data directory).
 * The same format node/admin/key-ring.ts reads; the cryptography is protocol/key-ring.ts.
 */

export const KEY_RING_FILE = 'db-key.json';

export type Unlock = { passphrase: string } | { recoveryKey: string };

export async function readKeyRingFile(file: string): Promise<KeyRing> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ProtocolError('KeyRingDamaged', undefined, { issues: [{ path: KEY_RING_FILE, problem: 'missing' }] });
  }
  return parseKeyRing(text);
}

/** The database key, or `KeyRejected` (one clear line); nothing is written. */
export async function unlockRing(ring: KeyRing, unlock: Unlock): Promise<Uint8Array> {
  await ready();
  if ('passphrase' in unlock) return unlockWithPassphrase(ring, unlock.passphrase);
  const key = parseKey(unlock.recoveryKey);
  if (!key) throw new ProtocolError('KeyRejected', undefined, { issues: [{ path: 'recoveryKey', problem: 'malformed' }] });
  return unlockWithKey(ring, key);
}

/** Written beside its final name and renamed: a crash leaves the old ring or the new one, never half. */
export async function writeKeyRingFile(dir: string, ring: KeyRing, options: { replace: boolean }): Promise<void> {
  const temp = join(dir, `.${KEY_RING_FILE}.${toBase64Url(randomBytes(6))}`);
  try {
    await writeFile(temp, formatKeyRing(ring), { mode: 0o600, flag: 'wx' });
    await chmod(temp, 0o600);
    if (!options.replace && (await stat(join(dir, KEY_RING_FILE)).catch(() => null)) !== null) throw new Refusal('keyRing.exists', { file: join(dir, KEY_RING_FILE) });
    await rename(temp, join(dir, KEY_RING_FILE));
  } finally {
    await rm(temp, { force: true });
  }
}

/** Is `file` the data directory or inside it (or not an absolute path)? */
export function isInside(file: string, dataDir: string): boolean {
  const inside = relative(resolve(dataDir), resolve(file));
  return !isAbsolute(file) || inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
}

/** A new key file (0600, never over an existing file, outside the data directory). */
export async function writeKeyFile(file: string, key: Uint8Array, dataDir: string, option: string): Promise<void> {
  if (isInside(file, dataDir)) throw new UsageError('keyFile.insideDataDir', { option });
  try {
    await writeFile(file, `${formatKey(key)}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Refusal('keyFile.exists', { file });
    throw new FileError('file.cannotWrite', file, { cause: error });
  }
}
