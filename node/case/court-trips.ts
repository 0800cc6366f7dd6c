import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import {
  type Clock,
  type ConsentRecord,
  type CourtTripPlan,
  type CourtTripTask,
  type CourtTripTaskUpdate,
  type ErrorCode,
  Hearing,
  IsoDate,
  OrgId,
  ProtocolError,
  type ScopeProblem,
  TaskKind,
  TaskStatus,
  canonicalJson,
  messageType,
  newId,
  sectionFor,
} from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { MessageService } from '../services/messages.js';
import type { Consents, HeldConsent } from './consents.js';
import { type TripPlan, comparePlanFields, dateOf, dueTasks, mergePlans, normaliseTask, taskFromUpdate } from './court-trip-merge.js';
import { type Handler, type ReceivedMessage, quarantineMessage } from './receive.js';
import type { ReferralRow, ReferralStore } from './referral-store.js';

/**
 * Court return trips (DESIGN §6): a plan two organisations share on one referral once the case
 * is handed over (either side may create one; a referral may have several, one per hearing).
 * Creating or changing the plan sends `court-trip/plan` (the whole plan, under the referral's
 * consent); changing a task sends `court-trip/task-update`; both in the referral's thread, in the
 * same transaction as the change. Local edits and received messages go through the one merge of
 * court-trip-merge.ts, so both nodes converge after editing while cut off.
 *
 * Purposes: the plan is shared for `legal-proceedings`; an in-person trip also shares the travel
 * (tickets, pickup, accommodation), so its consent must cover `return-travel` as well. The
 * sender checks this before anything leaves, the receiver again on every plan it receives.
 */

const Mode = z.enum(['in-person', 'video-link']);
const NewTask = z.strictObject({ kind: TaskKind, owner: OrgId, due: IsoDate, status: TaskStatus.optional(), note: z.string().max(1000).optional() });
export const CourtTripInput = z.strictObject({ hearing: Hearing.strict(), mode: Mode, tasks: z.array(NewTask).max(50).optional() });
export const CourtTripPatch = z
  .strictObject({ hearing: Hearing.partial().strict().optional(), mode: Mode.optional() })
  .refine((p) => p.hearing !== undefined || p.mode !== undefined, { message: 'empty' });
/** Add a task (kind, owner and due are then required) or change one (its kind never changes). */
export const TaskPut = NewTask.partial();

const PLAN = messageType('court-trip', 'plan');
const TASK = messageType('court-trip', 'task-update');
const ACTIVE: ReferralRow['state'][] = ['handed-over', 'closed'];

/** The purposes a plan is shared for. */
export const purposesOf = (mode: TripPlan['mode']): string[] => (mode === 'in-person' ? ['legal-proceedings', 'return-travel'] : ['legal-proceedings']);

/** Whether the consent lets `sender` share a plan of this mode with `recipient`. */
export function coverage(record: ConsentRecord, share: { sender: string; recipient: string; mode: TripPlan['mode']; now: number }): { ok: true } | { ok: false; problem: ScopeProblem; purpose: string } {
  for (const purpose of purposesOf(share.mode)) {
    const section = sectionFor(record, { ...share, purpose });
    if (!section.ok) return { ok: false, problem: section.problem, purpose };
  }
  return { ok: true };
}

export interface CourtTripDeps {
  sqlite: Database.Database;
  self: { node: string; org: string };
  clock: Clock;
  consents: Consents;
  store: ReferralStore;
  messages: MessageService;
  log: Logger;
  transaction: (fn: () => void) => void;
}

type TripRaw = { id: string; referralId: string; caseId: string | null; consentId: string; hearing: string; mode: string; revision: number; updatedAt: number; updatedBy: string };
type TaskRaw = Omit<CourtTripTask, 'note'> & { tripId: string; note: string | null; updatedBy: string };

export function createCourtTrips(deps: CourtTripDeps) {
  const { sqlite, store, consents, self } = deps;
  const q = {
    trip: sqlite.prepare(`SELECT * FROM court_trip WHERE id = ?`),
    tasks: sqlite.prepare(`SELECT * FROM court_trip_task WHERE tripId = ?`),
    insert: sqlite.prepare(
      `INSERT INTO court_trip (id, referralId, caseId, consentId, hearing, mode, revision, updatedAt, updatedBy) VALUES (@id, @referralId, @caseId, @consentId, @hearing, @mode, @revision, @updatedAt, @updatedBy)`,
    ),
    update: sqlite.prepare(`UPDATE court_trip SET hearing = @hearing, mode = @mode, revision = @revision, updatedAt = @updatedAt, updatedBy = @updatedBy WHERE id = @id`),
    task: sqlite.prepare(
      `INSERT INTO court_trip_task (tripId, taskId, kind, owner, due, status, note, updatedAt, updatedBy) VALUES (@tripId, @taskId, @kind, @owner, @due, @status, @note, @updatedAt, @updatedBy)
       ON CONFLICT (tripId, taskId) DO UPDATE SET kind = excluded.kind, owner = excluded.owner, due = excluded.due, status = excluded.status, note = excluded.note, updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy`,
    ),
    list: sqlite.prepare(`SELECT * FROM court_trip ORDER BY id DESC LIMIT ? OFFSET ?`),
    overdue: sqlite.prepare(
      `SELECT t.*, c.referralId FROM court_trip_task t JOIN court_trip c ON c.id = t.tripId WHERE t.status IN ('open', 'in-progress') AND t.due < ? ORDER BY t.due, t.tripId, t.taskId LIMIT 500`,
    ),
    dueSoon: sqlite.prepare(
      `SELECT t.*, c.referralId FROM court_trip_task t JOIN court_trip c ON c.id = t.tripId WHERE t.status IN ('open', 'in-progress') AND t.due >= ? AND t.due <= ? ORDER BY t.due, t.tripId, t.taskId LIMIT 500`,
    ),
  };
  const nowMs = () => deps.clock.now();
  const seconds = () => Math.floor(nowMs() / 1000);

  const taskOf = (t: TaskRaw): CourtTripTask => normaliseTask({ taskId: t.taskId, kind: t.kind, owner: t.owner, due: t.due, status: t.status, ...(t.note ? { note: t.note } : {}), updatedAt: t.updatedAt });
  const load = (tripId: string): { row: TripRaw; plan: TripPlan } | undefined => {
    const row = q.trip.get(tripId) as TripRaw | undefined;
    if (!row) return undefined;
    const tasks = (q.tasks.all(tripId) as TaskRaw[]).map(taskOf);
    const plan = { tripId: row.id, referralId: row.referralId, hearing: JSON.parse(row.hearing) as Hearing, mode: row.mode as TripPlan['mode'], tasks, revision: row.revision };
    return { row, plan: mergePlans(plan, plan) };
  };
  const require = (tripId: string) => {
    const found = load(tripId);
    if (!found) throw new ProtocolError('NotFound', 'no such court trip');
    return found;
  };

  /** writes what changed from `prev` to `next` (the trip row, the tasks that differ) */
  const save = (prev: TripPlan | undefined, next: TripPlan, by: string, at: number, ids: { caseId: string | null; consentId: string }) => {
    const head = { id: next.tripId, hearing: JSON.stringify(next.hearing), mode: next.mode, revision: next.revision, updatedAt: at, updatedBy: by };
    if (!prev) q.insert.run({ ...head, referralId: next.referralId, ...ids });
    else if (comparePlanFields(next, prev) !== 0) q.update.run(head);
    for (const t of next.tasks) {
      const before = prev?.tasks.find((p) => p.taskId === t.taskId);
      if (before && canonicalJson(before) === canonicalJson(t)) continue;
      q.task.run({ tripId: next.tripId, ...t, note: t.note ?? null, updatedBy: by });
    }
  };

  const scopeError = (problem: ScopeProblem, purpose: string, recipient: string): ProtocolError =>
    new ProtocolError(problem.code, problem.code === 'ConsentScope' ? `the consent does not cover the ${problem.detail === 'purpose' ? `purpose ${purpose}` : `recipient ${recipient}`}` : undefined, {
      issues: [{ path: problem.code === 'ConsentScope' ? (problem.detail === 'purpose' ? 'purpose' : 'recipient') : 'consent', problem: 'not_covered_by_consent' }],
    });
  const invalid = (path: string, problem: string, message?: string) => new ProtocolError('InvalidRequest', message, { issues: [{ path, problem }] });

  /** the referral (handed over), its consent, and the check that the consent covers a plan of this mode */
  const sharing = (referralId: string, mode: TripPlan['mode']): { r: ReferralRow; held: HeldConsent } => {
    const r = store.require(referralId);
    if (r.state !== 'handed-over') throw invalid('state', r.state, `the referral is ${r.state}: a court trip needs a handed-over case`);
    const held = consents.latest(r.consentId ?? '');
    if (!held) throw new ProtocolError('ConsentMissing', 'no consent for this referral');
    const scope = coverage(held.record, { sender: self.org, recipient: r.peerOrg, mode, now: seconds() });
    if (!scope.ok) throw scopeError(scope.problem, scope.purpose, r.peerOrg);
    return { r, held };
  };
  const parties = (r: ReferralRow, owners: { path: string; owner: string | undefined }[]) => {
    const bad = owners.filter((o) => o.owner !== undefined && o.owner !== self.org && o.owner !== r.peerOrg);
    if (bad.length > 0) throw new ProtocolError('InvalidRequest', 'a task is owned by one of the two organisations of the referral', { issues: bad.map((o) => ({ path: o.path, problem: 'not_a_party' })) });
  };

  /** the whole plan to the other side, with the change, the history event and the ledger rows */
  const sendPlan = (s: { r: ReferralRow; held: HeldConsent }, prev: TripPlan | undefined, next: TripPlan, kind: string) => {
    const consent = { id: s.held.record.id, hash: s.held.hash };
    const body: CourtTripPlan = { ...next, consent };
    const prepared = deps.messages.prepare({ to: s.r.peerNode, typ: PLAN, body, thid: s.r.id, consent });
    deps.transaction(() => {
      save(prev, next, self.org, nowMs(), { caseId: s.r.caseId, consentId: s.held.record.id });
      prepared.enqueue();
      store.event({ referralId: s.r.id, at: nowMs(), kind, org: self.org, messageId: prepared.id, detail: next.tripId });
      // the ledger: one row per purpose the plan was shared for
      const caseId = s.r.caseId;
      for (const purpose of caseId ? purposesOf(next.mode) : []) {
        store.disclose({ consentId: s.held.record.id, consentVersion: s.held.record.version, consentHash: s.held.hash, caseId: caseId as string, referralId: s.r.id, org: s.r.peerOrg, node: s.r.peerNode, messageId: prepared.id, purpose, fields: ['/courtTrip'], attachments: 0, at: nowMs() });
      }
    });
  };

  function view(tripId: string, days = 7) {
    const { row, plan } = require(tripId);
    const held = consents.latest(row.consentId);
    return { plan: { ...plan, consent: { id: row.consentId, hash: held?.hash ?? null } }, days, ...dueTasks(plan, nowMs(), days) };
  }

  function create(referralId: string, input: z.infer<typeof CourtTripInput>) {
    const s = sharing(referralId, input.mode);
    parties(s.r, (input.tasks ?? []).map((t, i) => ({ path: `tasks[${i}].owner`, owner: t.owner })));
    const at = seconds();
    const tasks = (input.tasks ?? []).map((t) => normaliseTask({ taskId: newId(nowMs()), ...t, status: t.status ?? 'open', updatedAt: at }));
    const plan: TripPlan = { tripId: newId(nowMs()), referralId: s.r.id, hearing: input.hearing, mode: input.mode, tasks, revision: 0 };
    const next = mergePlans(plan, plan);
    sendPlan(s, undefined, next, 'court-trip-planned');
    return view(next.tripId);
  }

  /** a new hearing (fields merge) or mode: the next revision, sent as the whole plan */
  function patch(tripId: string, input: z.infer<typeof CourtTripPatch>) {
    const { plan } = require(tripId);
    const hearing = Hearing.safeParse({ ...plan.hearing, ...input.hearing });
    if (!hearing.success) throw invalid('hearing', 'invalid_value');
    const candidate = { ...plan, hearing: hearing.data, mode: input.mode ?? plan.mode, revision: plan.revision + 1 };
    if (comparePlanFields({ ...candidate, revision: plan.revision }, plan) === 0) return view(tripId);
    const s = sharing(plan.referralId, candidate.mode);
    sendPlan(s, plan, mergePlans(plan, candidate), 'court-trip-changed');
    return view(tripId);
  }

  /** add a task (the whole plan travels: a task update has no kind) or change one (a task update) */
  function putTask(tripId: string, taskId: string, input: z.infer<typeof TaskPut>): { view: ReturnType<typeof view>; created: boolean } {
    const { plan } = require(tripId);
    const held = plan.tasks.find((t) => t.taskId === taskId);
    if (!held) {
      const missing = (['kind', 'owner', 'due'] as const).filter((k) => input[k] === undefined);
      if (missing.length > 0) throw new ProtocolError('InvalidRequest', 'a new task needs a kind, an owner and a due date', { issues: missing.map((path) => ({ path, problem: 'required' })) });
      if (plan.tasks.length >= 50) throw invalid('taskId', 'too_many', 'a court trip has at most 50 tasks');
    } else if (input.kind !== undefined && input.kind !== held.kind) {
      throw invalid('kind', 'immutable', 'the kind of a task does not change: cancel it and add another');
    }
    const s = sharing(plan.referralId, plan.mode);
    parties(s.r, [{ path: 'owner', owner: input.owner }]);
    // a new task has its kind, owner and due date (checked above)
    const prior = held ?? { kind: input.kind as TaskKind, owner: input.owner as string, due: input.due as string, status: 'open' as const, updatedAt: 0 };
    const note = input.note !== undefined ? input.note : held?.note;
    const task = normaliseTask({
      taskId,
      kind: prior.kind,
      owner: input.owner ?? prior.owner,
      due: input.due ?? prior.due,
      status: input.status ?? prior.status,
      ...(note ? { note } : {}),
      updatedAt: Math.max(seconds(), prior.updatedAt + 1),
    });
    if (held && canonicalJson({ ...task, updatedAt: 0 }) === canonicalJson({ ...held, updatedAt: 0 })) return { view: view(tripId), created: false };
    const next = mergePlans(plan, { ...plan, tasks: [task] });
    if (!held) {
      sendPlan(s, plan, next, 'court-trip-changed');
      return { view: view(tripId), created: true };
    }
    const body: CourtTripTaskUpdate = { tripId, taskId, status: task.status, note: task.note ?? '', due: task.due, owner: task.owner, updatedAt: task.updatedAt, revision: plan.revision };
    const prepared = deps.messages.prepare({ to: s.r.peerNode, typ: TASK, body, thid: s.r.id });
    deps.transaction(() => {
      save(plan, next, self.org, nowMs(), { caseId: s.r.caseId, consentId: s.held.record.id });
      prepared.enqueue();
      store.event({ referralId: s.r.id, at: nowMs(), kind: 'court-trip-task', org: self.org, messageId: prepared.id, detail: `${tripId} ${taskId} ${task.status}` });
    });
    return { view: view(tripId), created: false };
  }

  /** the trips (newest first): the hearing, the mode, and how many tasks are open, due within 7 days, overdue */
  function list(limit: number, offset: number) {
    return (q.list.all(limit, offset) as TripRaw[]).map((t) => {
      const hearing = JSON.parse(t.hearing) as Hearing;
      const tasks = (q.tasks.all(t.id) as TaskRaw[]).map(taskOf);
      const due = dueTasks({ tripId: t.id, referralId: t.referralId, hearing, mode: t.mode as TripPlan['mode'], tasks, revision: t.revision }, nowMs(), 7);
      const open = tasks.filter((k) => k.status === 'open' || k.status === 'in-progress').length;
      return {
        tripId: t.id,
        referralId: t.referralId,
        hearingDate: hearing.date,
        hearing: { date: hearing.date, court: hearing.court, city: hearing.city, country: hearing.country },
        mode: t.mode,
        revision: t.revision,
        tasks: { total: tasks.length, open, dueSoon: due.reminders.length, overdue: due.overdue.length },
      };
    });
  }

  /** tasks not done whose due date has passed, across every trip (oldest first); `dueSoon`: those due from today up to `days` ahead */
  function overdue(days = 7) {
    const today = dateOf(nowMs());
    const until = dateOf(nowMs(), days);
    const rows = q.overdue.all(today) as (TaskRaw & { referralId: string })[];
    const soon = q.dueSoon.all(today, until) as (TaskRaw & { referralId: string })[];
    const out = (t: TaskRaw & { referralId: string }) => ({ tripId: t.tripId, referralId: t.referralId, ...taskOf(t), mine: t.owner === self.org });
    return { today, days, overdue: rows.map(out), dueSoon: soon.map(out) };
  }

  const quarantine = (m: ReceivedMessage, from: { node: string }, code: ErrorCode, detail: string | null, now: number, referralId?: string) => quarantineMessage(deps, m, from, code, detail, now, referralId);

  /** what a received plan or task update does: checked again here, then merged */
  const handlers: Record<string, Handler> = {
    [PLAN]: (m, from, now) => {
      const b = m.body as unknown as CourtTripPlan;
      const r = store.get(b.referralId);
      if (!r || r.peerNode !== from.node) return quarantine(m, from, 'Rejected', 'referral', now);
      if (!ACTIVE.includes(r.state)) return quarantine(m, from, 'Rejected', `state ${r.state}`, now, r.id);
      if (!m.consent || m.consent.id !== b.consent.id || m.consent.hash !== b.consent.hash || b.consent.id !== r.consentId) return quarantine(m, from, 'ConsentMissing', 'consent', now, r.id);
      const held = consents.version(b.consent.id, b.consent.hash);
      if (!held) return quarantine(m, from, 'ConsentMissing', 'consent', now, r.id);
      // the version the plan commits to, and the latest one (a withdrawal since) must both cover it
      for (const record of [held.record, consents.latest(held.record.id)?.record ?? held.record]) {
        const scope = coverage(record, { sender: from.org, recipient: self.org, mode: b.mode, now: Math.floor(now / 1000) });
        if (!scope.ok) return quarantine(m, from, scope.problem.code, scope.problem.detail, now, r.id);
      }
      const current = load(b.tripId);
      if (current && current.plan.referralId !== b.referralId) return quarantine(m, from, 'Rejected', 'court trip', now, r.id);
      const { consent: _consent, ...incoming } = b;
      save(current?.plan, mergePlans(current?.plan ?? incoming, incoming), from.org, now, { caseId: r.caseId, consentId: held.record.id });
      store.event({ referralId: r.id, at: now, kind: 'court-trip-received', org: from.org, messageId: m.id, detail: b.tripId });
    },
    [TASK]: (m, from, now) => {
      const b = m.body as unknown as CourtTripTaskUpdate;
      const current = load(b.tripId);
      if (!current) return quarantine(m, from, 'Rejected', 'court trip', now);
      const r = store.get(current.plan.referralId);
      if (!r || r.peerNode !== from.node) return quarantine(m, from, 'Rejected', 'referral', now);
      if (!ACTIVE.includes(r.state)) return quarantine(m, from, 'Rejected', `state ${r.state}`, now, r.id);
      // the thread's order brings the plan that added a task before any update of it
      const task = taskFromUpdate(current.plan, b);
      if (!task) return quarantine(m, from, 'Rejected', 'task', now, r.id);
      save(current.plan, mergePlans(current.plan, { ...current.plan, tasks: [task] }), from.org, now, { caseId: r.caseId, consentId: current.row.consentId });
      store.event({ referralId: r.id, at: now, kind: 'court-trip-task-received', org: from.org, messageId: m.id, detail: `${b.tripId} ${b.taskId} ${b.status}` });
    },
  };

  return { create, patch, putTask, view, list, overdue, handlers };
}

export type CourtTrips = ReturnType<typeof createCourtTrips>;
