import { type CourtTripPlan, type CourtTripTask, type CourtTripTaskUpdate, type Hearing, type TaskStatus, canonicalJson } from '../../protocol/index.js';

/**
 * The convergence rule of a court return trip, pure. Both organisations edit the same plan, also
 * while cut off from each other; every local edit and every received `court-trip/plan` or
 * `court-trip/task-update` goes through `mergePlans`, a join: commutative, associative and
 * idempotent, so two nodes that have seen the same edits hold the same plan, whatever the order.
 *
 * - Plan-level fields (hearing, mode) are one register ordered by `revision` (every change of
 *   the hearing or the mode is the holder's revision + 1; adding or changing a task does not
 *   count), then by the canonical JSON of `{hearing, mode}`. Two edits of the same revision made
 *   while cut off are thus settled the same way at both sides (arbitrary, not by clock).
 * - Tasks: union by `taskId` (a task held at one side only is kept; nothing is ever deleted:
 *   `cancelled` is a status). Per task, last writer wins on the whole task by `updatedAt`
 *   (seconds; a local edit takes max(now, held + 1), so it always wins over what it edits); at
 *   equal time the status further along wins (open < in-progress < done < cancelled), then the
 *   greater canonical JSON. The tie-break uses only what travels: the wire carries no author per
 *   task, so an organisation id would not be known alike at both sides once a plan relays a task.
 * - A task's `kind` never changes (a task update does not carry it); an empty note is no note.
 * - A task update is the whole task but its kind (this implementation always sends owner, due
 *   and note, "" for none), merged as a one-task plan; a missing field is taken from the holder.
 */

/** The plan without its consent reference: what converges. */
export type TripPlan = Omit<CourtTripPlan, 'consent'>;

const RANK: Record<TaskStatus, number> = { open: 0, 'in-progress': 1, done: 2, cancelled: 3 };
const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A task with no empty or undefined keys (the one form stored, compared and sent). */
export function normaliseTask(t: CourtTripTask): CourtTripTask {
  return { taskId: t.taskId, kind: t.kind, owner: t.owner, due: t.due, status: t.status, ...(t.note ? { note: t.note } : {}), updatedAt: t.updatedAt };
}

/** > 0 when `a` wins over `b` (same task id). */
export function compareTasks(a: CourtTripTask, b: CourtTripTask): number {
  return a.updatedAt - b.updatedAt || RANK[a.status] - RANK[b.status] || order(canonicalJson(normaliseTask(a)), canonicalJson(normaliseTask(b)));
}

/** > 0 when the hearing and mode of `a` win over those of `b`. */
export function comparePlanFields(a: Pick<TripPlan, 'revision' | 'hearing' | 'mode'>, b: Pick<TripPlan, 'revision' | 'hearing' | 'mode'>): number {
  return a.revision - b.revision || order(canonicalJson({ hearing: normaliseHearing(a.hearing), mode: a.mode }), canonicalJson({ hearing: normaliseHearing(b.hearing), mode: b.mode }));
}

/** A hearing without empty optional fields (an empty case reference is none). */
export function normaliseHearing(h: Hearing): Hearing {
  return Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined && v !== '')) as Hearing;
}

/** Tasks in the order every node shows them: by due date, then id (creation order). */
export function sortTasks(tasks: CourtTripTask[]): CourtTripTask[] {
  return [...tasks].sort((a, b) => order(a.due, b.due) || order(a.taskId, b.taskId));
}

/** The join of two versions of the same trip. */
export function mergePlans(a: TripPlan, b: TripPlan): TripPlan {
  if (a.tripId !== b.tripId || a.referralId !== b.referralId) throw new Error('not the same court trip');
  const head = comparePlanFields(a, b) >= 0 ? a : b;
  const tasks = new Map<string, CourtTripTask>();
  for (const t of [...a.tasks, ...b.tasks]) {
    const held = tasks.get(t.taskId);
    if (!held || compareTasks(t, held) > 0) tasks.set(t.taskId, normaliseTask(t));
  }
  return { tripId: a.tripId, referralId: a.referralId, hearing: normaliseHearing(head.hearing), mode: head.mode, tasks: sortTasks([...tasks.values()]), revision: head.revision };
}

/** The task a task update stands for, or undefined when the trip holds no such task. */
export function taskFromUpdate(plan: TripPlan, u: CourtTripTaskUpdate): CourtTripTask | undefined {
  const held = plan.tasks.find((t) => t.taskId === u.taskId);
  if (!held) return undefined;
  const note = u.note ?? held.note;
  return normaliseTask({ taskId: u.taskId, kind: held.kind, owner: u.owner ?? held.owner, due: u.due ?? held.due, status: u.status, ...(note ? { note } : {}), updatedAt: u.updatedAt });
}

/** A received task update merged into the plan (unchanged when the task is not held). */
export function applyTaskUpdate(plan: TripPlan, u: CourtTripTaskUpdate): TripPlan {
  const task = taskFromUpdate(plan, u);
  return task ? mergePlans(plan, { ...plan, tasks: [task] }) : plan;
}

const DAY_MS = 86_400_000;
/** `YYYY-MM-DD` (UTC) of a time, `days` later. */
export const dateOf = (nowMs: number, days = 0): string => new Date(nowMs + days * DAY_MS).toISOString().slice(0, 10);
const open = (t: CourtTripTask) => t.status === 'open' || t.status === 'in-progress';

/** Reminders: tasks not done (nor cancelled) due from today up to `days` ahead; overdue: due before today. */
export function dueTasks(plan: TripPlan, nowMs: number, days: number): { today: string; reminders: CourtTripTask[]; overdue: CourtTripTask[] } {
  const today = dateOf(nowMs);
  const until = dateOf(nowMs, days);
  return {
    today,
    reminders: plan.tasks.filter((t) => open(t) && t.due >= today && t.due <= until),
    overdue: plan.tasks.filter((t) => open(t) && t.due < today),
  };
}
