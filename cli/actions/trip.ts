import { ProtocolError } from '../../protocol/index.js';
import { type OverdueTask, type TaskChange, type TripChange, type TripInput, type TripTask, type TripView, tripsApi } from '../api/trips.js';
import { EXIT } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import type { Output } from '../output.js';
import type { ActionContext } from './context.js';
import { word } from './casework-words.js';

/**
 * `corridor trip plan|show|list|task|change`: the court return trip two organisations plan on a
 * handed-over referral (LEFÖ-IBF in Vienna, ASTRA in Belgrade). Every change goes to the other
 * side; the node says what is due soon and what is overdue, by its clock.
 */

/** What a trip command acted on, for naming it in a refusal. */
export interface TripAbout {
  trip?: string | undefined;
  referral?: string | undefined;
  task?: string | undefined;
  /** the mode the plan has (or will have): which purposes its consent must cover */
  mode?: string | undefined;
}

/** the purpose a ConsentScope refusal names: the node says it in its message; else the first the mode needs */
function refusedPurpose(error: ProtocolError, mode: string | undefined): string {
  const named = /purpose ([a-z-]+)/.exec(error.message)?.[1];
  return named ?? (mode === 'video-link' ? 'legal-proceedings' : 'return-travel');
}

/** the node's refusal of a trip command in the case worker's words; null when the general line says it well */
export function explainTrip(error: ProtocolError, t: Translate, about: TripAbout): string | null {
  const issue = error.issues?.[0];
  switch (error.code) {
    case 'NotFound':
      if (about.trip) return t('trip.noTrip', { id: about.trip });
      if (about.referral) return t('casework.noReferral', { id: about.referral });
      return null;
    case 'ConsentScope':
      if (issue?.path === 'purpose') return t('casework.consentPurpose', { purpose: word(t, 'purpose', refusedPurpose(error, about.mode)) });
      if (issue?.path === 'recipient') return t('trip.consentRecipient');
      return null;
    case 'ConsentMissing':
      return t('trip.noConsent');
    case 'InvalidRequest':
      if (issue?.path === 'state') return t('trip.notHandedOver', { state: word(t, 'state', issue.problem) });
      if (issue?.problem === 'not_a_party') return t('trip.notParty');
      if (issue?.path === 'kind' && issue.problem === 'immutable') return t('trip.kindFixed');
      if (issue?.problem === 'required' && about.task) return t('trip.unknownTask', { id: about.task });
      if (issue?.path === 'taskId' && issue.problem === 'too_many') return t('trip.tooManyTasks');
      return null;
    default:
      return null;
  }
}

/** like casework-words' `guarded`, with the refusals of court trips */
async function tripGuarded(ctx: ActionContext, about: TripAbout, action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (error) {
    const line = error instanceof ProtocolError && !(error.cause instanceof Error) ? explainTrip(error, ctx.t, about) : null;
    if (line === null) throw error;
    if (ctx.out.json) ctx.out.data((error as ProtocolError).toBody());
    ctx.out.problem(line);
    return EXIT.failed;
  }
}

export async function tripPlan(ctx: ActionContext, referralId: string, input: TripInput): Promise<number> {
  return tripGuarded(ctx, { referral: referralId, mode: input.mode }, async () => {
    const view = await tripsApi.plan(ctx.client, referralId, input);
    if (ctx.out.json) ctx.out.data(view);
    else {
      ctx.out.line(ctx.out.style('ok', ctx.t('trip.planned', { id: view.plan.tripId, referral: referralId })));
      ctx.out.line();
      tripLines(ctx, view);
    }
    return EXIT.ok;
  });
}

export async function tripShow(ctx: ActionContext, tripId: string, days?: number): Promise<number> {
  return tripGuarded(ctx, { trip: tripId }, async () => {
    const view = await tripsApi.trip(ctx.client, tripId, days);
    if (ctx.out.json) ctx.out.data(view);
    else tripLines(ctx, view);
    return EXIT.ok;
  });
}

export async function tripList(ctx: ActionContext, options: { overdue: boolean }): Promise<number> {
  const { client, out, t } = ctx;
  if (options.overdue) {
    const answer = await tripsApi.overdue(client);
    if (out.json) out.data(answer);
    else overdueLines(ctx, answer.today, answer.overdue);
    return EXIT.ok;
  }
  const { trips } = await tripsApi.list(client);
  if (out.json) {
    out.data({ trips });
    return EXIT.ok;
  }
  if (trips.length === 0) {
    out.line(t('trip.none'));
    return EXIT.ok;
  }
  out.table(
    [t('trip.col.trip'), t('trip.col.referral'), t('trip.col.hearing'), t('trip.col.mode')],
    trips.map((r) => [r.tripId, r.referralId, out.day(r.hearingDate), word(t, 'tripMode', r.mode)]),
  );
  return EXIT.ok;
}

/** add a task (`created`: the caller picked its id) or change one */
export async function tripTask(ctx: ActionContext, tripId: string, taskId: string, input: TaskChange, created: boolean): Promise<number> {
  return tripGuarded(ctx, { trip: tripId, task: taskId }, async () => {
    const view = await tripsApi.putTask(ctx.client, tripId, taskId, input);
    if (ctx.out.json) {
      ctx.out.data(view);
      return EXIT.ok;
    }
    const task = view.plan.tasks.find((x) => x.taskId === taskId);
    const kind = task ? word(ctx.t, 'taskKind', task.kind) : taskId;
    const status = task ? word(ctx.t, 'taskStatus', task.status) : '';
    ctx.out.line(ctx.out.style('ok', created ? ctx.t('trip.taskAdded', { task: taskId, kind, id: tripId }) : ctx.t('trip.taskChanged', { task: taskId, kind, status })));
    dueLines(ctx, view);
    return EXIT.ok;
  });
}

export async function tripChange(ctx: ActionContext, tripId: string, input: TripChange): Promise<number> {
  return tripGuarded(ctx, { trip: tripId, mode: input.mode }, async () => {
    const view = await tripsApi.change(ctx.client, tripId, input);
    if (ctx.out.json) ctx.out.data(view);
    else {
      const { plan } = view;
      ctx.out.line(ctx.out.style('ok', ctx.t('trip.changed', { id: tripId, when: when(ctx.out, ctx.t, plan.hearing), mode: word(ctx.t, 'tripMode', plan.mode) })));
    }
    return EXIT.ok;
  });
}

// ---- the human view ----

const when = (out: Output, t: Translate, h: { date: string; time?: string | undefined }) => (h.time ? t('trip.dateTime', { date: out.day(h.date), time: h.time }) : out.day(h.date));

function tripLines(ctx: ActionContext, view: TripView): void {
  const { out, t } = ctx;
  const { plan } = view;
  const h = plan.hearing;
  out.line(out.style('strong', t('trip.heading', { id: plan.tripId, referral: plan.referralId })));
  out.line(t('trip.hearing', { when: when(out, t, h), court: h.court, city: h.city, country: out.country(h.country) }));
  if (h.reference) out.line(t('trip.reference', { reference: h.reference }));
  out.line(t('trip.mode', { mode: word(t, 'tripMode', plan.mode) }));
  out.line();
  if (plan.tasks.length === 0) out.line(t('trip.noTasks'));
  else {
    const late = new Set(view.overdue.map((x) => x.taskId));
    const soon = new Set(view.reminders.map((x) => x.taskId));
    out.table(
      [t('trip.col.task'), t('trip.col.what'), t('trip.col.owner'), t('trip.col.due'), t('trip.col.status'), t('trip.col.note')],
      plan.tasks.map((x) => {
        const status = word(t, 'taskStatus', x.status);
        const row = [x.taskId, word(t, 'taskKind', x.kind), x.owner, out.day(x.due), late.has(x.taskId) ? t('trip.late', { status }) : status, x.note ?? ''];
        return late.has(x.taskId) ? row.map((c) => out.style('bad', c)) : soon.has(x.taskId) ? row.map((c) => out.style('warn', c)) : row;
      }),
    );
  }
  out.line();
  dueLines(ctx, view);
}

const taskLine = (out: Output, t: Translate, x: TripTask) => `  ${t('trip.taskLine', { kind: word(t, 'taskKind', x.kind), owner: x.owner, due: out.day(x.due) })}`;

/** what is due within the days asked for, and what is overdue, by the node's clock */
function dueLines({ out, t }: ActionContext, view: TripView): void {
  if (view.overdue.length > 0) {
    out.line(out.style('bad', t('trip.overdue', { count: view.overdue.length })));
    for (const x of view.overdue) out.line(out.style('bad', taskLine(out, t, x)));
  }
  if (view.reminders.length > 0) {
    out.line(out.style('warn', t('trip.reminders', { count: view.reminders.length, days: view.days })));
    for (const x of view.reminders) out.line(taskLine(out, t, x));
  }
  if (view.overdue.length === 0 && view.reminders.length === 0) out.line(out.style('ok', t('trip.nothingDue', { days: view.days })));
}

function overdueLines({ out, t }: ActionContext, today: string, tasks: OverdueTask[]): void {
  if (tasks.length === 0) {
    out.line(out.style('ok', t('trip.noOverdue', { today: out.day(today) })));
    return;
  }
  out.line(out.style('bad', t('trip.overdueHeading', { today: out.day(today), count: tasks.length })));
  out.table(
    [t('trip.col.trip'), t('trip.col.task'), t('trip.col.what'), t('trip.col.owner'), t('trip.col.due'), t('trip.col.status')],
    tasks.map((x) => [x.tripId, x.taskId, word(t, 'taskKind', x.kind), x.mine ? t('trip.ours', { org: x.owner }) : x.owner, out.day(x.due), word(t, 'taskStatus', x.status)]),
  );
}
