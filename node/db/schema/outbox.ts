import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const OUTBOX_STATES = ['queued', 'sending', 'delivered', 'acknowledged', 'failed', 'expired'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * Every envelope this node must deliver, written in the same transaction as the change that
 * caused it. Rows are never deleted by the sender: an item ends `delivered`/`acknowledged`
 * (with the signed receipt), or `failed`/`expired`, visible to the operator.
 */
export const outboxItem = sqliteTable(
  'outbox_item',
  {
    id: text('id').primaryKey(),
    to: text('to').notNull(),
    thid: text('thid').notNull(),
    typ: text('typ').notNull(),
    envelope: blob('envelope', { mode: 'buffer' }).notNull(),
    ctSha256: text('ctSha256').notNull(),
    state: text('state', { enum: OUTBOX_STATES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** ms; when the next attempt is due */
    nextAttemptAt: integer('nextAttemptAt').notNull(),
    /** ms; the peer's Retry-After: waking the peer's backlog never brings an attempt before this */
    notBefore: integer('notBefore'),
    /** ms; a `sending` row whose lease ran out (the process died mid-send) is due again */
    leaseUntil: integer('leaseUntil'),
    lastAttemptAt: integer('lastAttemptAt'),
    lastStatus: integer('lastStatus'),
    lastError: text('lastError'),
    createdAt: integer('createdAt').notNull(),
    /** ms; the message's own expiry: retries stop then, and the row becomes `expired` */
    expiresAt: integer('expiresAt').notNull(),
    deliveredAt: integer('deliveredAt'),
    receipt: text('receipt'),
    acknowledgedAt: integer('acknowledgedAt'),
  },
  (t) => [index('outbox_due').on(t.state, t.nextAttemptAt), index('outbox_thread').on(t.to, t.thid, t.id)],
);
