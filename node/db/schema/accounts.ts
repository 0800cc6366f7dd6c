import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The people who use the local API (ADR 0018): one account each, never shared. A password is
 * kept only as an scrypt hash with its own salt and cost; a session only as the SHA-256 of its
 * token. Login names are personal data of staff: they are in `account` and nowhere else (never
 * in a log, an access event or the login throttle, which is keyed by a hash of the name).
 */
export const account = sqliteTable('account', {
  id: text('id').primaryKey(),
  /** the name people sign in with, lower-cased */
  loginName: text('loginName').notNull().unique(),
  displayName: text('displayName').notNull(),
  /** case-worker | coordinator | operator */
  role: text('role').notNull(),
  team: text('team'),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  /** JSON: { alg: 'scrypt', logN, r, p, salt, hash } (base64url) */
  password: text('password').notNull(),
  /** the language the person chose for the web interface (en, sr, mk, sq, de); null: the browser's */
  language: text('language'),
  createdAt: integer('createdAt').notNull(),
  updatedAt: integer('updatedAt').notNull(),
});

export const session = sqliteTable(
  'session',
  {
    /** SHA-256 of the token (base64url); the token itself is only ever with its holder */
    tokenHash: text('tokenHash').primaryKey(),
    accountId: text('accountId')
      .notNull()
      .references(() => account.id),
    createdAt: integer('createdAt').notNull(),
    lastUsedAt: integer('lastUsedAt').notNull(),
    /** absolute end, whatever the use */
    expiresAt: integer('expiresAt').notNull(),
    revokedAt: integer('revokedAt'),
  },
  (t) => [index('session_account').on(t.accountId)],
);

/** Failed logins, persisted so that a restart does not reset them; key: `name:<sha256>` or `all`. */
export const loginThrottle = sqliteTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStart: integer('windowStart').notNull(),
  lockedUntil: integer('lockedUntil').notNull(),
});

/**
 * What the operator must see about access (until the audit log takes it over): failed logins,
 * refused requests, account changes. Ids and codes only.
 */
export const accessEvent = sqliteTable('access_event', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  at: integer('at').notNull(),
  /** login-failed | access-denied | account-changed */
  kind: text('kind').notNull(),
  /** the account acting (null: unknown name, or the machine credential) */
  accountId: text('accountId'),
  caseId: text('caseId'),
  /** the account changed (account-changed) */
  subjectId: text('subjectId'),
  code: text('code').notNull(),
});

/** Who works on a case: an account, a team, or both; none means coordinators only. */
export const caseAssignment = sqliteTable(
  'case_assignment',
  {
    caseId: text('caseId').primaryKey(),
    accountId: text('accountId'),
    team: text('team'),
    assignedBy: text('assignedBy'),
    assignedAt: integer('assignedAt').notNull(),
  },
  (t) => [index('case_assignment_account').on(t.accountId), index('case_assignment_team').on(t.team)],
);
