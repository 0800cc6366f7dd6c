import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The node's tamper-evident audit log (issue 7, ADR 0016): ids and hashes only, never personal
 * data. Rows are only ever inserted; nothing in the node updates or deletes them.
 *
 * - `audit_entry`: one leaf per seq (0, 1, 2, ...): the entry's RFC 8785 bytes and its RFC 6962
 *   leaf hash (kept so proofs need not rehash the log; `audit verify` recomputes it); the case and
 *   message ids again as indexed columns, for the evidence bundle's look-up;
 * - `audit_frontier`: one row, the Merkle accumulator after the last entry (size and the perfect
 *   subtree roots, 32 bytes each, largest first), so appending is O(log n);
 * - `audit_checkpoint`: every checkpoint this node signed, by size (the signed JSON as sent);
 * - `audit_witness`: the latest checkpoint each partner showed us of its own log, signed by it.
 */
export const auditEntry = sqliteTable('audit_entry', {
  seq: integer('seq').primaryKey(),
  bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  leafHash: blob('leafHash', { mode: 'buffer' }).notNull(),
  /** the case the entry is about, for the evidence bundle's lookup (also inside the bytes) */
  caseId: text('caseId'),
  /** the message the entry is about, likewise (an index for the bundle, outside the hashed bytes) */
  messageId: text('messageId'),
}, (t) => [index('audit_entry_case').on(t.caseId), index('audit_entry_message').on(t.messageId)]);

export const auditFrontier = sqliteTable('audit_frontier', {
  one: integer('one').primaryKey(),
  size: integer('size').notNull(),
  frontier: blob('frontier', { mode: 'buffer' }).notNull(),
});

export const auditCheckpoint = sqliteTable('audit_checkpoint', {
  size: integer('size').primaryKey(),
  root: text('root').notNull(),
  at: integer('at').notNull(),
  /** the SignedCheckpoint's JSON */
  signed: text('signed').notNull(),
});

export const auditWitness = sqliteTable('audit_witness', {
  /** the partner node whose log this checkpoint is of */
  node: text('node').primaryKey(),
  size: integer('size').notNull(),
  root: text('root').notNull(),
  /** the SignedCheckpoint's JSON, as the partner signed it */
  signed: text('signed').notNull(),
  /** when we last checked it against a newer one (ms), and the verdict */
  checkedAt: integer('checkedAt').notNull(),
  verdict: text('verdict', { enum: ['consistent', 'forked', 'unchecked'] }).notNull(),
});
