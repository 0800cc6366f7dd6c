import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SigningKey, formatKey, fromBase64Url, isSealedFile, openSealedFile, sha256 } from '../../protocol/index.js';
import { createKeyRing } from '../../node/admin/key-ring.js';
import Database from 'better-sqlite3-multiple-ciphers';
import { type DbHandle, type Sqlite, applyKey, openDb } from '../../node/db/client.js';

/**
 * The one place in the tests that knows a test node's database key. In-process nodes get it
 * raw (`createNode(config, { databaseKey: TEST_DATABASE_KEY })`, no KDF); node processes get a
 * key ring wrapping the same key under a key file next to their data directory (0600, outside
 * it), so `openNodeDb(dataDir)` opens any test node's database, encrypted like production.
 */

const bytes = (text: string) => sha256(new TextEncoder().encode(text));
export const TEST_DATABASE_KEY = bytes('corridor test database key');
const TEST_KEY_FILE_KEY = bytes('corridor test key file');
/** the case-key wrapping key given raw with TEST_DATABASE_KEY to in-process nodes (a ring's second key; ADR 0014 step C) */
export const TEST_CASE_KEY_WRAPPING_KEY = bytes('corridor test case-key wrapping key');

/** A test node's database, opened with its key (the node may be running: WAL readers do not block it). */
export function openNodeDb(dataDir: string): DbHandle {
  return openDb(join(dataDir, 'corridor.db'), { key: TEST_DATABASE_KEY });
}

/** A raw read-only connection to a test node's database (no migrations), for tests that watch a running node. */
export function readNodeDb(dataDir: string): Sqlite {
  const sqlite = new Database(join(dataDir, 'corridor.db'), { readonly: true, fileMustExist: true });
  applyKey(sqlite, TEST_DATABASE_KEY);
  return sqlite;
}

/**
 * A second read-write connection to a test node's live database file (by path), with its key:
 * to read it as an auditor would, or to tamper with it as an attacker holding the key would.
 * (The same name and shape as main's helper, so the two merge as one.)
 */
export function openNodeDatabase(dbPath: string): Sqlite {
  const sqlite = new Database(dbPath);
  applyKey(sqlite, TEST_DATABASE_KEY);
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/** The org key of a test node's data directory (sealed under the database key; plain only for the benchmark's plaintext baseline). */
export function orgKeyIn(dataDir: string): SigningKey {
  const text = readFileSync(join(dataDir, 'org-key'), 'utf8');
  const seed = isSealedFile(text) ? openSealedFile(text, TEST_DATABASE_KEY) : fromBase64Url(text.trim());
  if (!seed) throw new Error(`no org key in ${dataDir}`);
  return SigningKey.fromSeed('org', seed);
}

/** A key ring in `dataDir` (created if missing) and its key file `<dataDir>.key` (0600); returns the key file's path. */
export async function prepareKeyFile(dataDir: string): Promise<string> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!existsSync(join(dataDir, 'db-key.json'))) await createKeyRing(dataDir, { databaseKey: TEST_DATABASE_KEY, keyFileKey: TEST_KEY_FILE_KEY, caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY });
  const keyFile = `${dataDir.replace(/\/+$/, '')}.key`;
  writeFileSync(keyFile, `${formatKey(TEST_KEY_FILE_KEY)}\n`, { mode: 0o600 });
  return keyFile;
}
