import { blob, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Known peers: until the directory (issue 4) exists, tests and the demo fill this table. */
export const peer = sqliteTable('peer', {
  node: text('node').primaryKey(),
  org: text('org').notNull(),
  /** base URL, e.g. http://127.0.0.1:4001 */
  url: text('url').notNull(),
  /** the largest envelope it accepts */
  maxBytes: integer('maxBytes').notNull(),
  /** when we last heard from it (an authenticated request), ms */
  lastSeenAt: integer('lastSeenAt'),
  updatedAt: integer('updatedAt').notNull(),
});

/** A peer's node signing keys (trusted: they came from the directory or an admitted descriptor). */
export const peerKey = sqliteTable(
  'peer_key',
  {
    node: text('node').notNull(),
    kid: text('kid').notNull(),
    publicKey: blob('publicKey', { mode: 'buffer' }).notNull(),
    notBefore: integer('notBefore').notNull(),
    notAfter: integer('notAfter').notNull(),
    compromisedSince: integer('compromisedSince'),
    revokedAt: integer('revokedAt'),
  },
  (t) => [primaryKey({ columns: [t.node, t.kid] })],
);

/** A peer's signed prekeys, as published (the certificate JSON); checked before every use. */
export const peerPrekey = sqliteTable(
  'peer_prekey',
  {
    node: text('node').notNull(),
    kid: text('kid').notNull(),
    certificate: text('certificate').notNull(),
    notBefore: integer('notBefore').notNull(),
    notAfter: integer('notAfter').notNull(),
  },
  (t) => [primaryKey({ columns: [t.node, t.kid] })],
);
