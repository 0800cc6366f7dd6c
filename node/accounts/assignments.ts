import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { ProtocolError, Ulid } from '../../protocol/index.js';
import type { Principal } from './accounts.js';
import { Team } from './accounts.js';

/**
 * Who works on which case (ADR 0018). A case has an assigned account, a team, both or neither;
 * a case worker works on a case assigned to them or to their team; coordinators on every case of
 * the organisation; operators on none. A case nobody is assigned to (e.g. one opened from a
 * partner's handover) is the coordinators' until they assign it.
 */

export const AssignmentInput = z
  .strictObject({
    accountId: Ulid.nullable().optional(),
    team: Team.nullable().optional(),
  })
  .refine((a) => a.accountId !== undefined || a.team !== undefined, { message: 'empty', path: ['(body)'] });
export type AssignmentInput = z.infer<typeof AssignmentInput>;

export interface Assignment {
  caseId: string;
  accountId: string | null;
  team: string | null;
  assignedBy: string | null;
  assignedAt: number;
}

/** What a route names, from which the case it belongs to is found. */
export type CaseScope = 'case' | 'referral' | 'consent' | 'attachment' | 'court-trip';

export interface Assignments {
  get(caseId: string): Assignment | null;
  set(caseId: string, input: { accountId: string | null; team: string | null }, by: string | null, nowMs: number): Assignment;
  /** may this principal see and act on this case? */
  mayWorkOn(who: Principal, caseId: string | null): boolean;
  /** the case an id of this kind belongs to: undefined when there is no such thing, null when it has no case */
  caseOf(scope: CaseScope, id: string): string | null | undefined;
  /** the ids of the cases assigned to this case worker or their team, newest change first */
  caseIdsOf(who: Principal, limit: number, offset: number): string[];
}

export function createAssignments(sqlite: Database.Database): Assignments {
  const q = {
    get: sqlite.prepare('SELECT * FROM case_assignment WHERE caseId = ?'),
    put: sqlite.prepare(
      'INSERT INTO case_assignment (caseId, accountId, team, assignedBy, assignedAt) VALUES (?, ?, ?, ?, ?) ON CONFLICT(caseId) DO UPDATE SET accountId = excluded.accountId, team = excluded.team, assignedBy = excluded.assignedBy, assignedAt = excluded.assignedAt',
    ),
    mine: sqlite.prepare(
      `SELECT c.id FROM case_file c JOIN case_assignment a ON a.caseId = c.id WHERE c.state != 'purged' AND (a.accountId = ? OR (a.team IS NOT NULL AND a.team = ?)) ORDER BY c.updatedAt DESC LIMIT ? OFFSET ?`,
    ),
    case: sqlite.prepare('SELECT id AS caseId FROM case_file WHERE id = ?'),
    referral: sqlite.prepare('SELECT caseId FROM referral WHERE id = ?'),
    consent: sqlite.prepare('SELECT caseId FROM consent WHERE id = ? ORDER BY version DESC LIMIT 1'),
    attachment: sqlite.prepare('SELECT caseId FROM attachment WHERE id = ?'),
    'court-trip': sqlite.prepare('SELECT caseId FROM court_trip WHERE id = ?'),
  };
  const get = (caseId: string) => (q.get.get(caseId) as Assignment | undefined) ?? null;
  return {
    get,
    set(caseId, input, by, nowMs) {
      if (!q.case.get(caseId)) throw new ProtocolError('NotFound', 'no such case');
      q.put.run(caseId, input.accountId, input.team, by, nowMs);
      return get(caseId)!;
    },
    mayWorkOn(who, caseId) {
      if (who.role === 'coordinator') return true;
      if (who.role !== 'case-worker' || caseId === null) return false;
      const a = get(caseId);
      if (!a) return false;
      return a.accountId === who.id || (a.team !== null && a.team === who.team);
    },
    caseOf(scope, id) {
      const r = q[scope].get(id) as { caseId: string | null } | undefined;
      return r === undefined ? undefined : r.caseId;
    },
    caseIdsOf: (who, limit, offset) => (who.kind === 'account' ? (q.mine.all(who.id, who.team, limit, offset) as { id: string }[]).map((r) => r.id) : []),
  };
}
