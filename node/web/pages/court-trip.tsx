import type { Context, Hono } from 'hono';
import { newId } from '../../../protocol/index.js';
import { formatDate, formatTime, shortId } from '../format.js';
import { courtTrips } from '../i18n/court-trips.js';
import { fill } from '../i18n/languages.js';
import { Csrf, Problems } from '../layout.js';
import { ApiError } from '../local-api.js';
import { render } from '../render.js';
import { type WebEnv, done } from '../session.js';
import { term } from '../terms.js';
import {
  type Hearing,
  type ReferralSummary,
  type Task,
  type TaskValues,
  type TripView,
  HearingFields,
  ModeFields,
  TaskFields,
  field,
  formProblem,
  hearingFrom,
  ourOrg,
  ownerChoice,
  ownerFrom,
  ownerLabel,
  problemLabels,
} from './court-trip-parts.js';

/**
 * The shared checklist of one court return trip: the hearing, then every task with its owner (us
 * or the partner), due date, status and note, marked "overdue" in words when its date has passed
 * and it is not done. Each task can be marked done or changed (owner, due date, status, note), a
 * task added, the hearing or the mode changed; every change goes to the partner organisation
 * (the local API sends it under the referral's consent), and the partner's changes appear here
 * once they arrive. The latest changes say who changed what, from the referral's history.
 */

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const OPEN = new Set(['open', 'in-progress']);

/** the form that was refused, with what the person typed */
type Refused = { form: 'hearing'; hearing: Partial<Hearing>; mode: string } | { form: 'task'; taskId: string; values: TaskValues } | { form: 'new'; values: TaskValues };

async function checklist(c: Context<WebEnv>, tripId: string, error: ApiError | null, refused: Refused | null) {
  const lang = c.get('lang');
  const m = courtTrips[lang];
  const api = c.get('api');
  const view = await api.get<TripView>(`/api/v1/court-trips/${tripId}`);
  const [referral, ours] = await Promise.all([api.get<ReferralSummary>(`/api/v1/referrals/${view.plan.referralId}`), ourOrg(api)]);
  const { plan } = view;
  const theirs = referral.peerOrg;
  const overdue = new Set(view.overdue.map((t) => t.taskId));
  const soon = new Set(view.reminders.map((t) => t.taskId));
  const changes = (referral.events ?? [])
    .filter((e) => e.kind.startsWith('court-trip') && (e.detail ?? '').startsWith(plan.tripId))
    .slice(-8)
    .reverse();
  const action = `/court-trips/${plan.tripId}`;
  const hearingValues = refused?.form === 'hearing' ? refused.hearing : plan.hearing;
  const modeValue = refused?.form === 'hearing' ? refused.mode : plan.mode;
  return render(
    c,
    { title: m.checklistTitle, section: 'court-trips', status: error ? 400 : 200 },
    <>
      <h1>{m.checklistTitle}</h1>
      <Problems lang={lang} error={error} labels={problemLabels(lang)} />
      <dl class="facts">
        <dt>{m.hearing}</dt>
        <dd>
          {formatDate(lang, plan.hearing.date)}
          {plan.hearing.time ? `, ${plan.hearing.time}` : ''}
        </dd>
        <dt>{m.place}</dt>
        <dd>
          {plan.hearing.court}, {plan.hearing.city} ({plan.hearing.country})
        </dd>
        {plan.hearing.reference ? (
          <>
            <dt>{m.reference}</dt>
            <dd>{plan.hearing.reference}</dd>
          </>
        ) : null}
        <dt>{m.mode}</dt>
        <dd>{term(lang, 'tripMode', plan.mode)}</dd>
        <dt>{m.sharedWith}</dt>
        <dd>
          {theirs} (<a href={`/referrals/${plan.referralId}`}>{fill(m.referralOption, { id: shortId(plan.referralId), org: theirs })}</a>)
        </dd>
        <dt>{m.revision}</dt>
        <dd>{plan.revision}</dd>
      </dl>
      <p>{fill(m.today, { date: formatDate(lang, view.today) })}</p>

      <section aria-labelledby="tasks">
        <h2 id="tasks">{m.tasks}</h2>
        {plan.tasks.length === 0 ? (
          <p>{m.noTasks}</p>
        ) : (
          <ul class="cards">
            {plan.tasks.map((t) => (
              <TaskCard c={c} task={t} ours={ours} theirs={theirs} action={action} overdue={overdue.has(t.taskId)} soon={soon.has(t.taskId)} refused={refused?.form === 'task' && refused.taskId === t.taskId ? refused.values : null} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="add-task">
        <h2 id="add-task">{m.addTask}</h2>
        <form method="post" action={`${action}/tasks`} class="stack">
          <Csrf value={c.get('csrf')} />
          <TaskFields lang={lang} id="new" values={refused?.form === 'new' ? refused.values : { owner: 'ours' }} ours={ours} theirs={theirs} withKind={true} withStatus={false} />
          <div>
            <button type="submit">{m.add}</button>
          </div>
        </form>
      </section>

      <section aria-labelledby="change-hearing">
        <h2 id="change-hearing">{m.changeHearing}</h2>
        <form method="post" action={`${action}/hearing`} class="stack">
          <Csrf value={c.get('csrf')} />
          <HearingFields lang={lang} values={hearingValues} required={true} />
          <ModeFields lang={lang} value={modeValue} idPrefix="mode" />
          <div>
            <button type="submit">{m.saveHearing}</button>
          </div>
        </form>
      </section>

      <section aria-labelledby="changes">
        <h2 id="changes">{m.lastChanges}</h2>
        {changes.length === 0 ? (
          <p>{m.noChanges}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{m.when}</th>
                  <th scope="col">{m.who}</th>
                  <th scope="col">{m.what}</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((e) => {
                  const [, taskId, status] = (e.detail ?? '').split(' ');
                  const task = plan.tasks.find((t) => t.taskId === taskId);
                  return (
                    <tr>
                      <td>{formatTime(lang, e.at)}</td>
                      <td>{e.org === ours ? fill(m.ours, { org: e.org }) : fill(m.theirs, { org: e.org ?? '' })}</td>
                      <td>
                        {term(lang, 'referralEvent', e.kind)}
                        {task ? `: ${term(lang, 'taskKind', task.kind)}` : ''}
                        {status ? ` (${term(lang, 'taskStatus', status)})` : ''}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <p>
        <a href="/court-trips">{m.allTrips}</a>
      </p>
    </>,
  );
}

function TaskCard(props: { c: Context<WebEnv>; task: Task; ours: string; theirs: string; action: string; overdue: boolean; soon: boolean; refused: TaskValues | null }) {
  const { c, task: t } = props;
  const lang = c.get('lang');
  const m = courtTrips[lang];
  const heading = `task-${t.taskId}`;
  const values: TaskValues = props.refused ?? { owner: ownerChoice(t.owner, props.ours), due: t.due, status: t.status, note: t.note ?? '' };
  return (
    <li class="card" aria-labelledby={heading}>
      <h3 id={heading}>{term(lang, 'taskKind', t.kind)}</h3>
      <dl class="facts">
        <dt>{m.owner}</dt>
        <dd>{ownerLabel(lang, t.owner, props.ours)}</dd>
        <dt>{m.due}</dt>
        <dd>
          {formatDate(lang, t.due)} {props.overdue ? <span class="badge overdue">{m.overdue}</span> : props.soon ? <span class="badge warn">{m.dueSoon}</span> : null}
        </dd>
        <dt>{m.status}</dt>
        <dd>
          <span class={t.status === 'done' ? 'badge ok' : 'badge'}>{term(lang, 'taskStatus', t.status)}</span>
        </dd>
        {t.note ? (
          <>
            <dt>{m.note}</dt>
            <dd>{t.note}</dd>
          </>
        ) : null}
      </dl>
      {OPEN.has(t.status) ? (
        <form method="post" action={`${props.action}/tasks/${t.taskId}/done`} class="inline">
          <Csrf value={c.get('csrf')} />
          <button type="submit" aria-describedby={heading}>
            {m.markDone}
          </button>
        </form>
      ) : null}
      <details open={props.refused !== null}>
        <summary>{m.changeTask}</summary>
        <form method="post" action={`${props.action}/tasks/${t.taskId}`} class="stack">
          <Csrf value={c.get('csrf')} />
          <TaskFields lang={lang} id={t.taskId} values={values} ours={props.ours} theirs={props.theirs} withKind={false} withStatus={true} />
          <div>
            <button type="submit" aria-describedby={heading}>
              {m.save}
            </button>
          </div>
        </form>
      </details>
    </li>
  );
}

export function mountCourtTrip(app: Hono<WebEnv>): void {
  const ids = (c: Context<WebEnv>, ...names: string[]): string[] | null => {
    const values = names.map((n) => c.req.param(n) ?? '');
    return values.every((v) => ULID.test(v)) ? values : null;
  };
  const notFound = (c: Context<WebEnv>) => {
    throw new ApiError(404, 'NotFound', 'not found');
  };
  /** a change through the local API; a refusal shows the checklist again with the problem and what was typed */
  const change = async (c: Context<WebEnv>, tripId: string, refused: Refused, call: () => Promise<string>) => {
    try {
      return done(c, await call(), `/court-trips/${tripId}`);
    } catch (error) {
      const problem = formProblem(c.get('lang'), error);
      if (!problem) throw error;
      return checklist(c, tripId, problem, refused);
    }
  };
  const taskFrom = (body: Record<string, unknown>): TaskValues => {
    const owner = field(body, 'owner', 10);
    return { kind: field(body, 'kind', 40), owner: owner === 'ours' || owner === 'theirs' ? owner : '', due: field(body, 'due', 10), status: field(body, 'status', 20), note: field(body, 'note') };
  };
  const parties = async (c: Context<WebEnv>, tripId: string) => {
    const api = c.get('api');
    const view = await api.get<TripView>(`/api/v1/court-trips/${tripId}`);
    const [referral, ours] = await Promise.all([api.get<ReferralSummary>(`/api/v1/referrals/${view.plan.referralId}`), ourOrg(api)]);
    return { view, ours, theirs: referral.peerOrg };
  };

  app.get('/court-trips/:id', async (c) => {
    const found = ids(c, 'id');
    if (!found) return notFound(c);
    return checklist(c, found[0]!, null, null);
  });

  app.post('/court-trips/:id/tasks/:taskId/done', async (c) => {
    const found = ids(c, 'id', 'taskId');
    if (!found) return notFound(c);
    const [tripId, taskId] = found as [string, string];
    return change(c, tripId, { form: 'task', taskId, values: {} }, async () => {
      await c.get('api').put(`/api/v1/court-trips/${tripId}/tasks/${taskId}`, { status: 'done' });
      return 'courtTripTaskDone';
    });
  });

  app.post('/court-trips/:id/tasks/:taskId', async (c) => {
    const found = ids(c, 'id', 'taskId');
    if (!found) return notFound(c);
    const [tripId, taskId] = found as [string, string];
    const values = taskFrom(await c.req.parseBody());
    return change(c, tripId, { form: 'task', taskId, values }, async () => {
      const { view, ours, theirs } = await parties(c, tripId);
      const held = view.plan.tasks.find((t) => t.taskId === taskId);
      if (!held) throw new ApiError(404, 'NotFound', 'no such task');
      const put = { owner: ownerFrom(values.owner ?? '', ours, theirs), due: values.due === '' ? undefined : values.due, status: values.status === '' ? undefined : values.status, note: values.note };
      await c.get('api').put(`/api/v1/court-trips/${tripId}/tasks/${taskId}`, put);
      const same = put.owner === held.owner && put.due === held.due && put.status === held.status && (put.note ?? '') === (held.note ?? '');
      return same ? 'courtTripUnchanged' : 'courtTripTaskChanged';
    });
  });

  app.post('/court-trips/:id/tasks', async (c) => {
    const found = ids(c, 'id');
    if (!found) return notFound(c);
    const tripId = found[0]!;
    const values = taskFrom(await c.req.parseBody());
    return change(c, tripId, { form: 'new', values }, async () => {
      const { ours, theirs } = await parties(c, tripId);
      const put = { kind: values.kind === '' ? undefined : values.kind, owner: ownerFrom(values.owner ?? '', ours, theirs), due: values.due === '' ? undefined : values.due, ...(values.note ? { note: values.note } : {}) };
      await c.get('api').put(`/api/v1/court-trips/${tripId}/tasks/${newId(Date.now())}`, put);
      return 'courtTripTaskAdded';
    });
  });

  app.post('/court-trips/:id/hearing', async (c) => {
    const found = ids(c, 'id');
    if (!found) return notFound(c);
    const tripId = found[0]!;
    const body = await c.req.parseBody();
    const hearing = hearingFrom(body);
    const mode = field(body, 'mode', 20);
    return change(c, tripId, { form: 'hearing', hearing, mode }, async () => {
      const api = c.get('api');
      const before = await api.get<TripView>(`/api/v1/court-trips/${tripId}`);
      const after = await api.patch<TripView>(`/api/v1/court-trips/${tripId}`, { hearing, ...(mode === '' ? {} : { mode }) });
      return after.plan.revision === before.plan.revision ? 'courtTripUnchanged' : 'courtTripHearingChanged';
    });
  });
}
