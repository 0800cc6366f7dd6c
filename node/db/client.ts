import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.js';

/**
 * The only place that opens SQLite. One file in the data directory, WAL mode (readers never
 * block the writer), foreign keys on, a busy timeout, and the migrations applied at start-up.
 * Transactions on better-sqlite3 are synchronous: nothing inside one may await.
 */

export type Db = BetterSQLite3Database<typeof schema>;
export interface DbHandle {
  readonly db: Db;
  /** the raw connection, for prepared statements on the hot path */
  readonly sqlite: Database.Database;
  /** a consistent copy of the live database into a new file (SQLite's online backup) */
  backup(path: string): Promise<void>;
  close(): void;
}

const migrationsFolder = new URL('./migrations', import.meta.url).pathname;

export function openDb(path: string, options: { sync: 'normal' | 'full' } = { sync: 'normal' }): DbHandle {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // a purged case must not linger in free pages of the file
  sqlite.pragma('secure_delete = ON');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return {
    db,
    sqlite,
    backup: async (path) => {
      await sqlite.backup(path);
    },
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
