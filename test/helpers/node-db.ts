import Database from 'better-sqlite3';

/**
 * The ONE way tests open a node's database file from outside the node (to read it as an auditor
 * would, or to tamper with it as an attacker with the file would). A second connection to the
 * live WAL file: what it commits, the node sees on its next read.
 */
export function openNodeDatabase(dbPath: string): Database.Database {
  const db = new Database(dbPath);
  db.pragma('busy_timeout = 5000');
  return db;
}
