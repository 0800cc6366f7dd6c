import type { Context, Hono } from 'hono';
import { formatDate, shortId } from '../format.js';
import { courtTrips } from '../i18n/court-trips.js';
import { fill } from '../i18n/languages.js';
import { Csrf, Problems } from '../layout.js';
import { ApiError } from '../local-api.js';
import { render } from '../render.js';
import { type WebEnv, done } from '../session.js';
import { term } from '../terms.js';
import { type ReferralSummary, type TaskValues, type TripView, HearingFields, ModeFields, TaskFields, field, formProblem, hearingFrom, ourOrg, ownerFrom, problemLabels } from './court-trip-parts.js';

/**
 * The court return trips this person may see (the local API keeps a case worker to their own
 * cases): hearing date and place, how the person gives the statement, and how many tasks are
 * open, due soon and overdue (in words, not by colour alone). Planning a new trip on a referral
 * that has been handed over: the hearing, the mode and the first tasks, each owned by us or the
 * partner; the plan goes to the partner under the referral's consent.
 */

interface TripRow {
  tripId: string;
  referralId: string;
  hearing: { date: string; court: string; city: string; country: string };
  mode: string;
  revision: number;
  tasks: { total: number; open: number; dueSoon: number; overdue: number };
}

const FIRST_TASKS = 3;

interface NewTripValues {
  referral: string;
  hearing: Partial<TripView['plan']['hearing']>;
  mode: string;
  tasks: TaskValues[];
}

export function mountCourtTrips(app: Hono<WebEnv>): void {
  app.get('/court-trips', async (c) => {
    const lang = c.get('lang');
    const m = courtTrips[lang];
    const { trips } = await c.get('api').get<{ trips: TripRow[] }>('/api/v1/court-trips', { limit: 200 });
    return render(
      c,
      { title: m.listTitle, section: 'court-trips' },
      <>
        <h1>{m.listTitle}</h1>
        <p>{m.listIntro}</p>
        <p>
          <a class="button" href="/court-trips/new">
            {m.planNew}
          </a>
        </p>
        {trips.length === 0 ? (
          <p>{m.noTrips}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{m.hearing}</th>
                  <th scope="col">{m.place}</th>
                  <th scope="col">{m.mode}</th>
                  <th scope="col">{m.tasks}</th>
                </tr>
              </thead>
              <tbody>
                {trips.map((t) => (
                  <tr>
                    <td>
                      <a href={`/court-trips/${t.tripId}`}>{fill(m.openChecklist, { date: formatDate(lang, t.hearing.date) })}</a>
                    </td>
                    <td>
                      {t.hearing.court}, {t.hearing.city} ({t.hearing.country})
                    </td>
                    <td>{term(lang, 'tripMode', t.mode)}</td>
                    <td>
                      {fill(m.openCount, { count: t.tasks.open })}
                      {t.tasks.dueSoon > 0 ? (
                        <>
                          {' · '}
                          <span class="badge warn">{fill(m.dueSoonCount, { count: t.tasks.dueSoon })}</span>
                        </>
                      ) : null}
                      {t.tasks.overdue > 0 ? (
                        <>
                          {' · '}
                          <span class="badge overdue">{fill(m.overdueCount, { count: t.tasks.overdue })}</span>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>,
    );
  });

  /** the form; the referrals a trip may be planned on are those handed over */
  const newForm = async (c: Context<WebEnv>, values: NewTripValues, error: ApiError | null) => {
    const lang = c.get('lang');
    const m = courtTrips[lang];
    const api = c.get('api');
    const [{ referrals }, ours] = await Promise.all([api.get<{ referrals: ReferralSummary[] }>('/api/v1/referrals', { limit: 200 }), ourOrg(api)]);
    const eligible = referrals.filter((r) => r.state === 'handed-over');
    const chosen = eligible.find((r) => r.id === values.referral) ?? eligible[0];
    return render(
      c,
      { title: m.newTitle, section: 'court-trips', status: error ? 400 : 200 },
      <>
        <h1>{m.newTitle}</h1>
        <p>{m.newIntro}</p>
        <Problems lang={lang} error={error} labels={problemLabels(lang, FIRST_TASKS)} />
        {!chosen ? (
          <p>{m.noReferrals}</p>
        ) : (
          <form method="post" action="/court-trips/new" class="stack">
            <Csrf value={c.get('csrf')} />
            <div>
              <label for="referral">{m.referral}</label>
              <select id="referral" name="referral">
                {eligible.map((r) => (
                  <option value={r.id} selected={r.id === chosen.id}>
                    {fill(m.referralOption, { id: shortId(r.id), org: r.peerOrg })}
                  </option>
                ))}
              </select>
            </div>
            <HearingFields lang={lang} values={values.hearing} required={true} />
            <ModeFields lang={lang} value={values.mode} idPrefix="mode" />
            <fieldset>
              <legend>{m.firstTasks}</legend>
              <p class="hint">{m.firstTasksHint}</p>
              {Array.from({ length: FIRST_TASKS }, (_, i) => (
                <fieldset>
                  <legend>{fill(m.taskN, { n: i + 1 })}</legend>
                  <TaskFields lang={lang} id={String(i + 1)} values={values.tasks[i] ?? {}} ours={ours} theirs={chosen.peerOrg} withKind={true} withStatus={false} optionalKind={true} />
                </fieldset>
              ))}
            </fieldset>
            <div>
              <button type="submit">{m.planSubmit}</button>
            </div>
          </form>
        )}
      </>,
    );
  };

  app.get('/court-trips/new', (c) => newForm(c, { referral: c.req.query('referral') ?? '', hearing: {}, mode: 'in-person', tasks: [] }, null));

  app.post('/court-trips/new', async (c) => {
    const api = c.get('api');
    const body = await c.req.parseBody();
    const values: NewTripValues = {
      referral: field(body, 'referral', 40),
      hearing: hearingFrom(body),
      mode: field(body, 'mode', 20),
      tasks: Array.from({ length: FIRST_TASKS }, (_, i) => {
        const n = i + 1;
        const owner = field(body, `owner-${n}`, 10);
        return { kind: field(body, `kind-${n}`, 40), owner: owner === 'ours' || owner === 'theirs' ? owner : '', due: field(body, `due-${n}`, 10), note: field(body, `note-${n}`) };
      }),
    };
    try {
      if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(values.referral)) throw new ApiError(400, 'InvalidRequest', 'referral', [{ path: 'referral', problem: 'required' }]);
      const [referral, ours] = await Promise.all([api.get<ReferralSummary>(`/api/v1/referrals/${values.referral}`), ourOrg(api)]);
      // a row with no task kind is left out; a row with one goes as typed, for the API to check
      const tasks = values.tasks
        .filter((t) => t.kind !== '')
        .map((t) => ({ kind: t.kind, owner: ownerFrom(t.owner ?? '', ours, referral.peerOrg), due: t.due === '' ? undefined : t.due, ...(t.note ? { note: t.note } : {}) }));
      const created = await api.post<TripView>(`/api/v1/referrals/${values.referral}/court-trip`, { hearing: values.hearing, mode: values.mode, tasks });
      return done(c, 'courtTripPlanned', `/court-trips/${created.plan.tripId}`);
    } catch (error) {
      const problem = formProblem(c.get('lang'), error);
      if (!problem) throw error;
      return newForm(c, values, renumber(problem, values.tasks));
    }
  });
}

/** the API numbers the tasks it was sent; the form numbers its rows (empty rows were left out) */
function renumber(error: ApiError, rows: TaskValues[]): ApiError {
  const sent = rows.map((t, i) => (t.kind !== '' ? i : -1)).filter((i) => i >= 0);
  const issues = error.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^tasks\[(\d+)\]/, (_, n: string) => `tasks[${sent[Number(n)] ?? n}]`) }));
  return new ApiError(error.status, error.code, error.message, issues);
}
