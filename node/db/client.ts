import Database from 'better-sqlite3-multiple-ciphers';
import { createTableRelationsHelpers, extractTablesRelationalConfig } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { BetterSQLiteSession } from 'drizzle-orm/better-sqlite3/session';
import { BaseSQLiteDatabase, SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { DATABASE_KEY_BYTES, ProtocolError } from '../../protocol/index.js';
import * as schema from './schema/index.js';

/**
 * The only place that opens SQLite. One file in the data directory, encrypted as a whole
 * (SQLite3 Multiple Ciphers, `chacha20`: ChaCha20-Poly1305 per page, WAL included; ADR 0014)
 * under the random key the key ring unwraps; WAL mode (readers never block the writer), foreign
 * keys on, a busy timeout, and the migrations applied at start-up. Transactions on
 * better-sqlite3 are synchronous: nothing inside one may await.
 */

export type Db = BetterSQLite3Database<typeof schema>;
export type Sqlite = Database.Database;
export interface DbHandle {
  readonly db: Db;
  /** the raw connection, for prepared statements on the hot path */
  readonly sqlite: Sqlite;
  /** opened with a key (every node); false only for the benchmark's plaintext baseline */
  readonly encrypted: boolean;
  /** a consistent copy of the live database into a new file, encrypted under the same key (`VACUUM INTO`) */
  backup(path: string): Promise<void>;
  /** after a purge: move the WAL into the file and truncate it, so erased rows do not linger in the WAL */
  purgeCheckpoint(): void;
  close(): void;
}

export interface OpenOptions {
  /**
   * The database key (32 bytes). `null` opens a plaintext database: only the benchmark's
   * baseline and tests of the library itself do that; a node always has a key.
   */
  key: Uint8Array | null;
  sync?: 'normal' | 'full';
}

/**
 * drizzle over our connection. What `drizzle(sqlite, { schema })` of drizzle-orm/better-sqlite3
 * does, without its driver module: that one imports the `better-sqlite3` package at load time,
 * which is not installed (the encrypting fork replaces it; ADR 0014).
 */
function drizzleOver(sqlite: Sqlite): Db {
  const dialect = new SQLiteSyncDialect();
  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational = { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
  // any: the session's client type names the `better-sqlite3` package's Database, which the fork's is
  const session = new BetterSQLiteSession(sqlite as any, dialect, relational, {});
  const db = new BaseSQLiteDatabase('sync', dialect, session, relational) as unknown as Db;
  (db as unknown as { $client: Sqlite }).$client = sqlite;
  return db;
}

const migrationsFolder = new URL('./migrations', import.meta.url).pathname;

/** SQLite cannot tell a wrong key from a damaged file: both read as "file is not a database". */
function isNotADatabase(error: unknown): boolean {
  return error instanceof Error && ((error as { code?: string }).code === 'SQLITE_NOTADB' || /file is not a database/.test(error.message));
}

/** The cipher and the raw key, before anything else touches the file (a raw key skips the library's own PBKDF2). */
export function applyKey(sqlite: Sqlite, key: Uint8Array): void {
  if (key.length !== DATABASE_KEY_BYTES) throw new ProtocolError('Internal', 'a database key has 32 bytes');
  sqlite.pragma(`cipher = 'chacha20'`);
  sqlite.pragma(`key = "x'${Buffer.from(key).toString('hex')}'"`);
}

/**
 * After a purge: copy the WAL into the file and truncate it, so erased rows do not linger in the
 * WAL (with `secure_delete` the freed pages of the file are zeroed). Not inside a transaction.
 */
/** Runs `fn` inside the caller's transaction if there is one, else in its own (BEGIN IMMEDIATE). */
export function atomically<T>(sqlite: Sqlite, fn: () => T): T {
  return sqlite.inTransaction ? fn() : sqlite.transaction(fn).immediate();
}

export function purgeCheckpoint(sqlite: Sqlite): void {
  if (!sqlite.inTransaction) sqlite.pragma('wal_checkpoint(TRUNCATE)');
}

export function openDb(path: string, options: OpenOptions): DbHandle {
  const sqlite = new Database(path);
  try {
    if (options.key !== null) applyKey(sqlite, options.key);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // a purged case must not linger in free pages of the file
    sqlite.pragma('secure_delete = ON');
  } catch (error) {
    sqlite.close();
    if (isNotADatabase(error)) {
      throw new ProtocolError('DatabaseUnreadable', undefined, { issues: [{ path: 'corridor.db', problem: 'not_readable_with_key' }] });
    }
    throw error;
  }
  const db = drizzleOver(sqlite);
  migrate(db, { migrationsFolder });
  return {
    db,
    sqlite,
    encrypted: options.key !== null,
    backup: async (target) => {
      // db.backup() refuses encrypted databases and serialize() returns plaintext pages (ADR 0014)
      sqlite.prepare('VACUUM INTO ?').run(target);
    },
    purgeCheckpoint: () => purgeCheckpoint(sqlite),
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
