import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Attachments of a case (a medical certificate, tickets). The content lives in the data
 * directory as the secretstream ciphertext (`attachments/<id>`), never in the database; the row
 * holds its key and the signed manifest. A purge of the case deletes the row (and so the key)
 * and the file. A received attachment keeps the sender's ciphertext, key and signed manifest.
 */
export const attachment = sqliteTable(
  'attachment',
  {
    /** the manifest's id (a ULID), the same at the sender and at every receiver */
    id: text('id').primaryKey(),
    caseId: text('caseId').notNull(),
    mediaType: text('mediaType').notNull(),
    size: integer('size').notNull(),
    name: text('name'),
    /** the 32-byte secretstream key, base64url */
    key: text('key').notNull(),
    /** the AttachmentManifest JSON, signed by the node that sealed it */
    manifest: text('manifest').notNull(),
    manifestSignature: text('manifestSignature').notNull(),
    createdAt: integer('createdAt').notNull(),
    /** uploaded here, or received with a handover or update */
    origin: text('origin', { enum: ['local', 'received'] }).notNull(),
    /** stored (the file is here), pending (to fetch from `sourceNode`), refused (`problem` says why) */
    state: text('state', { enum: ['stored', 'pending', 'refused'] }).notNull(),
    /** the node a received attachment is fetched from (the sender of the message) */
    sourceNode: text('sourceNode'),
    referralId: text('referralId'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('nextAttemptAt'),
    /** an error code once refused (AttachmentCorrupt, BadSignature, …) or of the last failed attempt */
    problem: text('problem'),
  },
  (t) => [index('attachment_case').on(t.caseId), index('attachment_state').on(t.state, t.nextAttemptAt)],
);

/** Which peer node was given which attachment: only that node may fetch its ciphertext. No personal data. */
export const attachmentDisclosure = sqliteTable(
  'attachment_disclosure',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    attachmentId: text('attachmentId').notNull(),
    caseId: text('caseId').notNull(),
    referralId: text('referralId').notNull(),
    org: text('org').notNull(),
    node: text('node').notNull(),
    messageId: text('messageId').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('attachment_disclosure_attachment').on(t.attachmentId, t.node)],
);
