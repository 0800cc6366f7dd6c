import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Envelopes as received, written once per (sender, id) in the request's transaction together
 * with the signed receipt that was returned (so a retry gets the same receipt). Opening and
 * processing run later, from this table.
 */
export const inboxItem = sqliteTable(
  'inbox_item',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    sender: text('sender').notNull(),
    id: text('id').notNull(),
    ctSha256: text('ctSha256').notNull(),
    envelope: blob('envelope', { mode: 'buffer' }).notNull(),
    receivedAt: integer('receivedAt').notNull(),
    receipt: text('receipt').notNull(),
    state: text('state', { enum: ['stored', 'processed', 'rejected'] }).notNull(),
    rejectCode: text('rejectCode'),
    processedAt: integer('processedAt'),
  },
  (t) => [uniqueIndex('inbox_sender_id').on(t.sender, t.id), index('inbox_state').on(t.state, t.seq)],
);

/** Opened, verified messages: the effect of processing an inbox row, applied exactly once. */
export const message = sqliteTable(
  'message',
  {
    sender: text('sender').notNull(),
    id: text('id').notNull(),
    thid: text('thid').notNull(),
    pthid: text('pthid'),
    typ: text('typ').notNull(),
    created: integer('created').notNull(),
    /** the exact signed inner bytes and the signature: evidence */
    inner: blob('inner', { mode: 'buffer' }).notNull(),
    signature: blob('signature', { mode: 'buffer' }).notNull(),
    senderKid: text('senderKid').notNull(),
    body: text('body').notNull(),
    receivedAt: integer('receivedAt').notNull(),
    /** 1 until an ack for it is in the outbox (acks are batched; a crash leaves them pending, not lost) */
    ackPending: integer('ackPending').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.sender, t.id] }), index('message_thread').on(t.thid, t.created), index('message_ack').on(t.ackPending, t.sender)],
);

/** Request nonces seen, kept until the request signature expires (replay protection). */
export const seenNonce = sqliteTable('seen_nonce', {
  key: text('key').primaryKey(),
  expiresAt: integer('expiresAt').notNull(),
});
