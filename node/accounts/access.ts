import type Database from 'better-sqlite3-multiple-ciphers';
import type { Clock } from '../../protocol/index.js';
import type { AuditRecorder } from '../audit/log.js';
import { type AccessEventLog, type AccessEvents, createAccessEvents } from './access-events.js';
import { type Accounts, createAccounts } from './accounts.js';
import { type Assignments, createAssignments } from './assignments.js';
import { type SessionPolicy, type Sessions, createSessions } from './sessions.js';

/** Accounts, sessions, case assignments and access events, built once for the node. */
export interface Access {
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly assignments: Assignments;
  /** where access is reported (the access_event table, or what the node was given) */
  readonly events: AccessEvents;
  /** the access_event table, for the operator and the tests */
  readonly log: AccessEventLog;
}

export function createAccess(sqlite: Database.Database, clock: Clock, policy: SessionPolicy, events?: AccessEvents, audit?: AuditRecorder): Access {
  const log = createAccessEvents(sqlite, () => clock.now(), audit);
  const sink = events ?? log;
  let accounts: Accounts | null = null;
  const sessions = createSessions(sqlite, () => accounts!, sink, policy);
  accounts = createAccounts(sqlite, sink, (id, now) => sessions.endAll(id, now));
  return { accounts, sessions, assignments: createAssignments(sqlite), events: sink, log };
}
