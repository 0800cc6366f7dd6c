import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The signed directory this node holds (ADR 0011). Every version it accepted is remembered by
 * ref (split views are evidence); the signed manifest bytes are kept for the current one and the
 * versions it may still be asked for. Entries are stored as their exact signed bytes, addressed
 * by hash, so any peer can mirror them and nobody can change them unnoticed.
 */
export const directoryVersion = sqliteTable('directory_version', {
  version: integer('version').primaryKey(),
  hash: text('hash').notNull(),
  /** the signed manifest as received (JSON); null once superseded and pruned */
  manifest: blob('manifest', { mode: 'buffer' }),
  issued: integer('issued').notNull(),
  /** seconds; after it no new referral starts (freeze), reading and verifying go on */
  expires: integer('expires').notNull(),
  acceptedAt: integer('acceptedAt').notNull(),
  /** the peer it came from, or `local` (published here, imported from a file) */
  source: text('source').notNull(),
});

/** Signed entries by the SHA-256 of their bytes: those of the current version, and our own pending ones. */
export const directoryEntry = sqliteTable(
  'directory_entry',
  {
    hash: text('hash').primaryKey(),
    org: text('org').notNull(),
    seq: integer('seq').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  },
  (t) => [index('directory_entry_org').on(t.org)],
);

/** The organisations of the current version: one row each, for lookups by org. */
export const directoryOrg = sqliteTable('directory_org', {
  org: text('org').primaryKey(),
  name: text('name').notNull(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
  orgKid: text('orgKid').notNull(),
  orgPublicKey: text('orgPublicKey').notNull(),
  listedBy: text('listedBy'),
  /** how many nodes it runs (0: reachable by phone and e-mail only) */
  nodes: integer('nodes').notNull(),
});

/**
 * Entries this node signed (its own organisation's, or listings it keeps) that no accepted
 * version carries yet: the stewards collect them from here.
 */
export const directorySubmission = sqliteTable('directory_submission', {
  org: text('org').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
  bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  createdAt: integer('createdAt').notNull(),
});

/** The last refresh attempt: when, from whom, what it moved, and why it failed (a code). */
export const directorySync = sqliteTable('directory_sync', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  peer: text('peer'),
  outcome: text('outcome').notNull(),
  version: integer('version'),
  bytes: integer('bytes').notNull(),
});
