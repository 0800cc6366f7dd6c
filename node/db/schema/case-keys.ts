import { blob, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Per-case keys (ADR 0014, step C): one random 32-byte key per case, wrapped (XChaCha20-Poly1305,
 * bound to the case id) under the key ring's case-key wrapping key. The case's personal fields are
 * sealed with it; erasing the case deletes this row, and what lingers of its sealed fields opens
 * no more. No foreign key: a received attachment may name its case before the key exists.
 */
export const caseKey = sqliteTable('case_key', {
  caseId: text('caseId').primaryKey(),
  /** nonce ‖ XChaCha20-Poly1305 ciphertext of the case key (72 bytes) */
  wrapped: blob('wrapped', { mode: 'buffer' }).notNull(),
  createdAt: integer('createdAt').notNull(),
});
