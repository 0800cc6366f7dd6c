import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  DEFAULT_KDF,
  type KeyRing,
  ProtocolError,
  type ScryptParams,
  randomBytes,
  ready,
  toBase64Url,
  formatKey,
  formatKeyRing,
  keyRing,
  keySlot,
  newDatabaseKey,
  parseKey,
  parseKeyRing,
  passphraseSlot,
  unlockWithKey,
  unlockWithPassphrase,
  withNewPassphrase,
  caseKeyWrappingKeyOf,
  withCaseKeyWrappingKey,
} from '../../protocol/index.js';

/**
 * The key ring file of a data directory (`db-key.json`, 0600; ADR 0014): read, unlock, create,
 * rewrap. Unlocking comes before SQLite opens the database, and writes nothing: a wrong
 * passphrase is `KeyRejected`, a missing or damaged ring `KeyRingDamaged`, and the data
 * directory is exactly as it was. The ring never holds a key in the clear.
 */

export const KEY_RING_FILE = 'db-key.json';

/** How a node gets its database key: the operator's passphrase, the recovery key, or a key file. */
export type KeySource = { passphrase: string } | { recoveryKey: string } | { keyFile: string };

export function readKeyRing(dataDir: string): KeyRing {
  let text: string;
  try {
    text = readFileSync(join(dataDir, KEY_RING_FILE), 'utf8');
  } catch {
    throw new ProtocolError('KeyRingDamaged', `there is no readable key ring (${KEY_RING_FILE}) in the data directory: set it up with "corridor init", or restore a backup`, {
      issues: [{ path: KEY_RING_FILE, problem: 'missing' }],
    });
  }
  return parseKeyRing(text);
}

const keyFileProblem = (problem: string, message: string) => new ProtocolError('InvalidRequest', message, { issues: [{ path: 'CORRIDOR_KEY_FILE', problem }] });

/**
 * A key file: one line, a key as `corridor init --key-file` writes it. Refused unless it is
 * readable by its owner only (0600 or 0400) and outside the data directory (a stolen data
 * directory must not carry its own key).
 */
export function readKeyFile(path: string, dataDir: string): Uint8Array {
  if (!isAbsolute(path)) throw keyFileProblem('not_absolute', 'the key file must be an absolute path');
  const inside = relative(resolve(dataDir), resolve(path));
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) throw keyFileProblem('inside_data_dir', 'the key file must not be inside the data directory');
  let mode: number;
  try {
    const s = statSync(path);
    if (!s.isFile()) throw keyFileProblem('not_a_file', 'the key file is not a file');
    mode = s.mode & 0o777;
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw keyFileProblem('unreadable', 'the key file cannot be read');
  }
  if ((mode & 0o077) !== 0) throw keyFileProblem('permissions', 'the key file must be readable by its owner only (chmod 600)');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw keyFileProblem('unreadable', 'the key file cannot be read');
  }
  const key = parseKey(text.trim());
  if (!key) throw keyFileProblem('malformed', 'the key file does not hold a Corridor key');
  return key;
}

/** The database key of a data directory, or `KeyRejected` / `KeyRingDamaged`; nothing is written. */
export async function unlockDataDir(dataDir: string, source: KeySource): Promise<Uint8Array> {
  await ready();
  const ring = readKeyRing(dataDir);
  if ('passphrase' in source) return unlockWithPassphrase(ring, source.passphrase);
  if ('keyFile' in source) return unlockWithKey(ring, readKeyFile(source.keyFile, dataDir));
  const key = parseKey(source.recoveryKey);
  if (!key) throw new ProtocolError('KeyRejected', undefined, { issues: [{ path: 'recoveryKey', problem: 'malformed' }] });
  return unlockWithKey(ring, key);
}

/** Writes the ring next to its final name, then renames it: a crash leaves the old ring or the new one. */
export function writeKeyRing(dataDir: string, ring: KeyRing, options: { replace: boolean }): void {
  const target = join(dataDir, KEY_RING_FILE);
  if (!options.replace && existsSync(target)) throw new ProtocolError('InvalidRequest', 'the data directory already has a key ring', { issues: [{ path: KEY_RING_FILE, problem: 'exists' }] });
  const temp = join(dataDir, `.${KEY_RING_FILE}.${toBase64Url(randomBytes(6))}`);
  try {
    writeFileSync(temp, formatKeyRing(ring), { mode: 0o600, flag: 'wx' });
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

export interface NewKeyRing {
  /** the database key (given, or new and random) */
  databaseKey: Uint8Array;
  /** the recovery key as printed, when one was asked for */
  recoveryKey: string | null;
}

/**
 * A new key ring for a data directory without one: a passphrase slot, a recovery key, a key
 * file's key, in any combination (at least one). `kdf` is stored in the ring: tests may pass a
 * cheap one; `corridor init` uses the default. `databaseKey` lets tests choose the key.
 */
export async function createKeyRing(
  dataDir: string,
  input: { passphrase?: string; recovery?: boolean; keyFileKey?: Uint8Array; databaseKey?: Uint8Array; kdf?: ScryptParams; /** a ring as versions before per-case keys wrote it (tests of the upgrade) */ withoutCaseKeys?: boolean; /** tests choose it, as `databaseKey` */ caseKeyWrappingKey?: Uint8Array },
): Promise<NewKeyRing> {
  await ready();
  const databaseKey = input.databaseKey ?? newDatabaseKey();
  const slots = [];
  if (input.passphrase !== undefined) slots.push(await passphraseSlot(databaseKey, input.passphrase, input.kdf ?? DEFAULT_KDF));
  let recoveryKey: string | null = null;
  if (input.recovery === true) {
    const key = newDatabaseKey();
    recoveryKey = formatKey(key);
    slots.push(keySlot(databaseKey, 'recovery', key));
  }
  if (input.keyFileKey !== undefined) slots.push(keySlot(databaseKey, 'key-file', input.keyFileKey));
  if (slots.length === 0) throw new ProtocolError('Internal', 'a key ring needs at least one way in');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeKeyRing(dataDir, input.withoutCaseKeys === true ? keyRing(slots) : withCaseKeyWrappingKey(keyRing(slots), databaseKey, input.caseKeyWrappingKey).ring, { replace: false });
  return { databaseKey, recoveryKey };
}

/** Change the passphrase: unlock with the old one (or the recovery key), rewrap; the database is not touched. */
export async function changePassphrase(dataDir: string, current: KeySource, passphrase: string, kdf: ScryptParams = DEFAULT_KDF): Promise<void> {
  const databaseKey = await unlockDataDir(dataDir, current);
  writeKeyRing(dataDir, await withNewPassphrase(readKeyRing(dataDir), databaseKey, passphrase, kdf), { replace: true });
}

/**
 * The case-key wrapping key, the ring's second key (ADR 0014 step C), unwrapped with the database
 * key. A ring written before per-case keys gets a new random one here, on the node's first start
 * (written whole, by rename); a ring whose one does not open is `KeyRingDamaged`.
 */
export function caseKeyWrappingKey(dataDir: string, databaseKey: Uint8Array): Uint8Array {
  const ring = readKeyRing(dataDir);
  const held = caseKeyWrappingKeyOf(ring, databaseKey);
  if (held) return held;
  const next = withCaseKeyWrappingKey(ring, databaseKey);
  writeKeyRing(dataDir, next.ring, { replace: true });
  return next.caseKeyWrappingKey;
}
