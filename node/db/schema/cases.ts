import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Case work (issue 5). A case is local to a node; what crosses to another organisation is the
 * case projected through a consent, and every such crossing is a row of the disclosure ledger.
 * Rows that must outlive a purge (referrals, the ledger, statistics) hold no personal data.
 */

/** A person's case: pseudonymous id, the case data (JSON), and whether it is still held. */
export const caseFile = sqliteTable(
  'case_file',
  {
    id: text('id').primaryKey(),
    /** pseudonymous reference for consent records: never the name */
    subjectRef: text('subjectRef').notNull(),
    state: text('state', { enum: ['open', 'closed', 'purged'] }).notNull(),
    /** opened here, or received in a handover (then under `consentId`) */
    origin: text('origin', { enum: ['local', 'received'] }).notNull(),
    /** the case data (HandoverCase shape plus local notes); null once purged */
    data: text('data'),
    consentId: text('consentId'),
    referralId: text('referralId'),
    createdAt: integer('createdAt').notNull(),
    updatedAt: integer('updatedAt').notNull(),
    closedAt: integer('closedAt'),
    purgedAt: integer('purgedAt'),
    /** why it was purged: retention, consent-withdrawn, consent-expired */
    purgeReason: text('purgeReason'),
  },
  // case_updated: the listing (newest change first) walks it instead of sorting every case
  (t) => [index('case_state').on(t.state, t.closedAt), index('case_updated').on(t.updatedAt)],
);

/** Every version of every consent record this node holds (recorded here or received), signed. */
export const consent = sqliteTable(
  'consent',
  {
    id: text('id').notNull(),
    version: integer('version').notNull(),
    caseId: text('caseId'),
    /** the SignedConsentRecord JSON */
    signed: text('signed').notNull(),
    hash: text('hash').notNull(),
    controller: text('controller').notNull(),
    status: text('status', { enum: ['given', 'withdrawn', 'expired'] }).notNull(),
    expires: integer('expires').notNull(),
    recordedAt: integer('recordedAt').notNull(),
    /** recorded by this organisation, or received from the controller */
    local: integer('local', { mode: 'boolean' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.id, t.version] }), index('consent_case').on(t.caseId), index('consent_hash').on(t.hash)],
);

/** The disclosure ledger: which organisation received which fields under which consent. */
export const disclosure = sqliteTable(
  'disclosure',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    consentId: text('consentId').notNull(),
    consentVersion: integer('consentVersion').notNull(),
    consentHash: text('consentHash').notNull(),
    caseId: text('caseId').notNull(),
    referralId: text('referralId').notNull(),
    org: text('org').notNull(),
    node: text('node').notNull(),
    messageId: text('messageId').notNull(),
    purpose: text('purpose').notNull(),
    /** JSON array of the field pointers actually sent */
    fields: text('fields').notNull(),
    attachments: integer('attachments').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('disclosure_consent').on(t.consentId), index('disclosure_case').on(t.caseId)],
);

/** A referral, as the referring or the receiving side sees it. No personal data. */
export const referral = sqliteTable(
  'referral',
  {
    id: text('id').primaryKey(),
    direction: text('direction', { enum: ['outgoing', 'incoming'] }).notNull(),
    caseId: text('caseId'),
    peerNode: text('peerNode').notNull(),
    peerOrg: text('peerOrg').notNull(),
    state: text('state', { enum: ['offered', 'accepted', 'declined', 'handed-over', 'closed', 'revoked'] }).notNull(),
    purpose: text('purpose').notNull(),
    /** the offer (needs, languages, gender, age band, countries, urgency): not identifying */
    offer: text('offer').notNull(),
    /** the named contact person at the other side */
    theirContact: text('theirContact'),
    ourContact: text('ourContact').notNull(),
    consentId: text('consentId'),
    /** JSON array of organisations the case passed through before (chain of custody) */
    chain: text('chain').notNull(),
    /** the referral this one continues (an onward referral along the route) */
    parentId: text('parentId'),
    reason: text('reason'),
    outcome: text('outcome'),
    createdAt: integer('createdAt').notNull(),
    updatedAt: integer('updatedAt').notNull(),
  },
  (t) => [index('referral_case').on(t.caseId), index('referral_state').on(t.state)],
);

/** What happened to a referral, in order: the history both sides can show. No personal data. */
export const referralEvent = sqliteTable(
  'referral_event',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    referralId: text('referralId').notNull(),
    at: integer('at').notNull(),
    kind: text('kind').notNull(),
    org: text('org').notNull(),
    messageId: text('messageId'),
    detail: text('detail'),
  },
  (t) => [index('referral_event_referral').on(t.referralId)],
);

/** Messages outside their consent: kept as ids and a code only, never shown, never applied. */
export const quarantine = sqliteTable('quarantine', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  messageId: text('messageId').notNull(),
  sender: text('sender').notNull(),
  typ: text('typ').notNull(),
  code: text('code').notNull(),
  /** which rule: a field pointer, `recipient`, `purpose`, `expired` (no value) */
  detail: text('detail'),
  at: integer('at').notNull(),
});

/** A withdrawal (or expiry) sent to one recipient of the ledger, and its deletion receipt. */
export const withdrawalNotice = sqliteTable(
  'withdrawal_notice',
  {
    consentId: text('consentId').notNull(),
    org: text('org').notNull(),
    node: text('node').notNull(),
    messageId: text('messageId'),
    sentAt: integer('sentAt').notNull(),
    receiptAt: integer('receiptAt'),
    /** the DeliveryReceipt body (consent/deletion-receipt) as received */
    receipt: text('receipt'),
    escalatedAt: integer('escalatedAt'),
  },
  (t) => [primaryKey({ columns: [t.consentId, t.org] })],
);

/** A court order or legal obligation that keeps a case's data despite a withdrawal. */
export const legalHold = sqliteTable('legal_hold', {
  caseId: text('caseId').primaryKey(),
  reason: text('reason').notNull(),
  court: text('court'),
  until: text('until'),
  setAt: integer('setAt').notNull(),
});

/** A court return trip shared by two organisations on one referral. */
export const courtTrip = sqliteTable('court_trip', {
  id: text('id').primaryKey(),
  referralId: text('referralId').notNull(),
  caseId: text('caseId'),
  consentId: text('consentId').notNull(),
  hearing: text('hearing').notNull(),
  mode: text('mode').notNull(),
  revision: integer('revision').notNull(),
  updatedAt: integer('updatedAt').notNull(),
  updatedBy: text('updatedBy').notNull(),
});

export const courtTripTask = sqliteTable(
  'court_trip_task',
  {
    tripId: text('tripId').notNull(),
    taskId: text('taskId').notNull(),
    kind: text('kind').notNull(),
    owner: text('owner').notNull(),
    due: text('due').notNull(),
    status: text('status').notNull(),
    note: text('note'),
    updatedAt: integer('updatedAt').notNull(),
    updatedBy: text('updatedBy').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tripId, t.taskId] })],
);
