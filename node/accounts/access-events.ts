import type Database from 'better-sqlite3-multiple-ciphers';
import type { AuditEvent, AuditRecorder } from '../audit/log.js';
import { type ErrorCode, Ulid } from '../../protocol/index.js';
import { atomically } from '../db/client.js';

/**
 * The one interface through which access is reported (ADR 0018): failed logins, refused
 * requests, changes to accounts. Ids and codes only: never a login name, a password or a token.
 * Each event is a row in `access_event` (the operator's list, ids and codes) and, in the same
 * transaction, an entry of the tamper-evident audit log (`login-failed`, `access-denied`,
 * `account-changed`), whose actor is the account, or the node when nobody is known.
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

const isUlid = (id: string | null | undefined): id is string => Ulid.safeParse(id).success;
const accountActor = (id: string | null): AuditEvent['actor'] => (isUlid(id) ? `account:${id}` : 'self');
const caseSubject = (caseId: string | null | undefined) => (isUlid(caseId) ? { caseId } : {});

export function createAccessEvents(sqlite: Database.Database, now: () => number, audit?: AuditRecorder): AccessEventLog {
  const insert = sqlite.prepare('INSERT INTO access_event (at, kind, accountId, caseId, subjectId, code) VALUES (?, ?, ?, ?, ?, ?)');
  const recent = sqlite.prepare('SELECT * FROM access_event ORDER BY seq DESC LIMIT ?');
  const both = (row: () => void, event: AuditEvent) =>
    atomically(sqlite, () => {
      row();
      audit?.record(event);
    });
  return {
    loginFailed: (accountId, code) =>
      both(() => insert.run(now(), 'login-failed', accountId, null, null, code), { kind: 'login-failed', actor: accountActor(accountId), subject: {}, code }),
    accessDenied: (accountId, caseId, code) =>
      both(() => insert.run(now(), 'access-denied', accountId, caseId, null, code), { kind: 'access-denied', actor: accountActor(accountId), subject: caseSubject(caseId), code }),
    accountChanged: (actorId, subjectId, code, caseId) =>
      both(() => insert.run(now(), 'account-changed', actorId, caseId ?? null, subjectId, code), {
        kind: 'account-changed',
        actor: accountActor(actorId),
        subject: { ...caseSubject(caseId), ...(isUlid(subjectId) ? { account: subjectId } : {}) },
      }),
    recent: (limit) => recent.all(limit) as AccessEventRow[],
  };
}
