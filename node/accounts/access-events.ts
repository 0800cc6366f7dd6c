import type Database from 'better-sqlite3';
import type { ErrorCode } from '../../protocol/index.js';

/**
 * The one interface through which access is reported (ADR 0018): failed logins, refused
 * requests, changes to accounts. Ids and codes only: never a login name, a password or a token.
 * For now each event is a row in `access_event` (the operator sees them in `corridor status`
 * through the alerts' neighbour, and tests read them); the audit log takes them over at merge.
 */
export interface AccessEvents {
  loginFailed(accountId: string | null, code: ErrorCode): void;
  accessDenied(accountId: string | null, caseId: string | null, code: ErrorCode): void;
  /** `assigned` names the case too */
  accountChanged(actorId: string | null, subjectId: string, code: AccountChange, caseId?: string): void;
}

export type AccountChange = 'created' | 'role' | 'team' | 'disabled' | 'enabled' | 'password' | 'display-name' | 'assigned';

export interface AccessEventRow {
  seq: number;
  at: number;
  kind: 'login-failed' | 'access-denied' | 'account-changed';
  accountId: string | null;
  caseId: string | null;
  subjectId: string | null;
  code: string;
}

export interface AccessEventLog extends AccessEvents {
  /** newest first */
  recent(limit: number): AccessEventRow[];
}

export function createAccessEvents(sqlite: Database.Database, now: () => number): AccessEventLog {
  const insert = sqlite.prepare('INSERT INTO access_event (at, kind, accountId, caseId, subjectId, code) VALUES (?, ?, ?, ?, ?, ?)');
  const recent = sqlite.prepare('SELECT * FROM access_event ORDER BY seq DESC LIMIT ?');
  return {
    loginFailed: (accountId, code) => void insert.run(now(), 'login-failed', accountId, null, null, code),
    accessDenied: (accountId, caseId, code) => void insert.run(now(), 'access-denied', accountId, caseId, null, code),
    accountChanged: (actorId, subjectId, code, caseId) => void insert.run(now(), 'account-changed', actorId, caseId ?? null, subjectId, code),
    recent: (limit) => recent.all(limit) as AccessEventRow[],
  };
}
