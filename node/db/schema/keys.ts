import { blob, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * This node's own keys: its signing key and its prekeys (private halves). A prekey's private
 * half is wiped (`secret` set to NULL, `destroyedAt` set) after notAfter + the longest message
 * lifetime: that is what bounds forward secrecy.
 * A node key is pending, active (exactly one) or retired; ADR 0017. Encryption at rest comes with issue 7.
 */
export const ownKey = sqliteTable('own_key', {
  kid: text('kid').primaryKey(),
  /** `org`: the org's public key only (the org key itself stays with the operator) */
  kind: text('kind', { enum: ['org', 'node', 'prekey'] }).notNull(),
  secret: blob('secret', { mode: 'buffer' }),
  publicKey: blob('publicKey', { mode: 'buffer' }).notNull(),
  notBefore: integer('notBefore').notNull(),
  notAfter: integer('notAfter').notNull(),
  /** the certificate (node key: signed by the org key; prekey: signed by the node key), JSON */
  certificate: text('certificate').notNull(),
  createdAt: integer('createdAt').notNull(),
  destroyedAt: integer('destroyedAt'),
  /**
   * node keys only (ms): when this key started signing (null: certified and published, not yet
   * used: it waits for a directory version that carries its certificate) and when it stopped
   */
  activatedAt: integer('activatedAt'),
  retiredAt: integer('retiredAt'),
});
