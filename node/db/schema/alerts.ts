import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Things the operator must see: an id reused with different bytes, an envelope a peer signed
 * that did not open, a peer answering with something invalid. Ids and codes only, never content.
 */
export const alert = sqliteTable('alert', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  kind: text('kind').notNull(),
  peer: text('peer'),
  messageId: text('messageId'),
  code: text('code'),
});
