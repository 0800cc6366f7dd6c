import { TaskKind, TaskStatus } from '../../../protocol/index.js';
import type { Lang } from '../i18n/languages.js';
import { courtTrips } from '../i18n/court-trips.js';
import { fill } from '../i18n/languages.js';
import { ApiError, type LocalApi } from '../local-api.js';
import { term } from '../terms.js';

/**
 * What the court trip screens share: the shapes the local API answers with, the form fields of a
 * hearing and of a task, and the owner as "us" or "the partner" (the form never carries an org id
 * the person would have to type). A form's values come back as typed when the API refuses them.
 */

export interface Hearing {
  court: string;
  city: string;
  country: string;
  date: string;
  time?: string;
  reference?: string;
}
export interface Task {
  taskId: string;
  kind: string;
  owner: string;
  due: string;
  status: string;
  note?: string;
  updatedAt: number;
}
export interface TripView {
  plan: { tripId: string; referralId: string; hearing: Hearing; mode: string; tasks: Task[]; revision: number };
  today: string;
  reminders: Task[];
  overdue: Task[];
}
export interface ReferralSummary {
  id: string;
  caseId: string | null;
  peerOrg: string;
  state: string;
  events?: { at: number; kind: string; org: string | null; detail: string | null }[];
}

export const TASK_KINDS = TaskKind.options;
export const TASK_STATUSES = TaskStatus.options;
export const MODES = ['in-person', 'video-link'] as const;

/** a form field as text (a file or a missing field is empty), trimmed and bounded */
export function field(body: Record<string, unknown>, key: string, max = 1000): string {
  const v = body[key];
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}

/** this node's organisation, as the session says */
export async function ourOrg(api: LocalApi): Promise<string> {
  return (await api.get<{ org: string }>('/api/v1/session')).org;
}

/** the owner a form chose ("us" or "the partner") as an organisation id; anything else is left out for the API to name */
export function ownerFrom(choice: string, ours: string, theirs: string): string | undefined {
  return choice === 'ours' ? ours : choice === 'theirs' ? theirs : undefined;
}

export function ownerChoice(owner: string, ours: string): 'ours' | 'theirs' {
  return owner === ours ? 'ours' : 'theirs';
}

export function ownerLabel(lang: Lang, owner: string, ours: string): string {
  const m = courtTrips[lang];
  return fill(owner === ours ? m.ours : m.theirs, { org: owner });
}

/** the hearing's fields (date, time, court, city, country, court case number) */
export function HearingFields(props: { lang: Lang; values: Partial<Hearing>; required: boolean }) {
  const m = courtTrips[props.lang];
  const v = props.values;
  return (
    <fieldset>
      <legend>{m.hearingLegend}</legend>
      <div class="stack">
        <div>
          <label for="hearing-date">{m.hearingDate}</label>
          <input type="date" id="hearing-date" name="date" required={props.required} value={v.date ?? ''} />
        </div>
        <div>
          <label for="hearing-time">{m.hearingTime}</label>
          <input type="text" id="hearing-time" name="time" inputmode="numeric" maxlength={5} pattern="[0-2][0-9]:[0-5][0-9]" value={v.time ?? ''} />
        </div>
        <div>
          <label for="hearing-court">{m.court}</label>
          <input type="text" id="hearing-court" name="court" required={props.required} maxlength={200} value={v.court ?? ''} />
        </div>
        <div>
          <label for="hearing-city">{m.city}</label>
          <input type="text" id="hearing-city" name="city" required={props.required} maxlength={100} value={v.city ?? ''} />
        </div>
        <div>
          <label for="hearing-country">{m.country}</label>
          <input type="text" id="hearing-country" name="country" required={props.required} maxlength={2} autocomplete="off" value={v.country ?? ''} />
        </div>
        <div>
          <label for="hearing-reference">{m.reference}</label>
          <input type="text" id="hearing-reference" name="reference" maxlength={100} value={v.reference ?? ''} />
        </div>
      </div>
    </fieldset>
  );
}

/** the hearing a form holds (empty optional fields left out; the country in capitals) */
export function hearingFrom(body: Record<string, unknown>): Partial<Hearing> {
  const out: Partial<Hearing> = {};
  for (const key of ['court', 'city', 'date', 'time', 'reference'] as const) {
    const v = field(body, key, 200);
    if (v !== '') out[key] = v;
  }
  const country = field(body, 'country', 2).toUpperCase();
  if (country !== '') out.country = country;
  return out;
}

/** trip in person or by video link, as radio buttons */
export function ModeFields(props: { lang: Lang; value: string | undefined; idPrefix: string }) {
  const m = courtTrips[props.lang];
  return (
    <fieldset>
      <legend>{m.modeLegend}</legend>
      {MODES.map((mode) => (
        <div>
          <input type="radio" id={`${props.idPrefix}-${mode}`} name="mode" value={mode} checked={(props.value ?? 'in-person') === mode} />{' '}
          <label for={`${props.idPrefix}-${mode}`}>{term(props.lang, 'tripMode', mode)}</label>
        </div>
      ))}
    </fieldset>
  );
}

export interface TaskValues {
  kind?: string;
  owner?: 'ours' | 'theirs' | '';
  due?: string;
  status?: string;
  note?: string;
}

/** a task's fields; `id` keeps the labels of several tasks on one page apart */
export function TaskFields(props: { lang: Lang; id: string; values: TaskValues; ours: string; theirs: string; withKind: boolean; withStatus: boolean; optionalKind?: boolean }) {
  const m = courtTrips[props.lang];
  const v = props.values;
  const name = (key: string) => (props.optionalKind ? `${key}-${props.id}` : key);
  return (
    <div class="stack">
      {props.withKind ? (
        <div>
          <label for={`kind-${props.id}`}>{m.kind}</label>
          <select id={`kind-${props.id}`} name={name('kind')} required={!props.optionalKind}>
            {props.optionalKind ? <option value="">{m.noKind}</option> : null}
            {TASK_KINDS.map((k) => (
              <option value={k} selected={v.kind === k}>
                {term(props.lang, 'taskKind', k)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div>
        <label for={`owner-${props.id}`}>{m.owner}</label>
        <select id={`owner-${props.id}`} name={name('owner')}>
          <option value="ours" selected={v.owner === 'ours'}>
            {fill(m.ours, { org: props.ours })}
          </option>
          <option value="theirs" selected={v.owner === 'theirs'}>
            {fill(m.theirs, { org: props.theirs })}
          </option>
        </select>
      </div>
      <div>
        <label for={`due-${props.id}`}>{m.due}</label>
        <input type="date" id={`due-${props.id}`} name={name('due')} required={!props.optionalKind} value={v.due ?? ''} />
      </div>
      {props.withStatus ? (
        <div>
          <label for={`status-${props.id}`}>{m.status}</label>
          <select id={`status-${props.id}`} name={name('status')}>
            {TASK_STATUSES.map((s) => (
              <option value={s} selected={v.status === s}>
                {term(props.lang, 'taskStatus', s)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div>
        <label for={`note-${props.id}`}>{m.note}</label>
        <textarea id={`note-${props.id}`} name={name('note')} maxlength={1000} rows={2}>
          {v.note ?? ''}
        </textarea>
      </div>
    </div>
  );
}

/** the labels of the API's field paths, for `Problems` */
export function problemLabels(lang: Lang, tasks = 0): Record<string, string> {
  const m = courtTrips[lang];
  const labels: Record<string, string> = {
    'hearing.date': m.hearingDate,
    'hearing.time': m.hearingTime,
    'hearing.court': m.court,
    'hearing.city': m.city,
    'hearing.country': m.country,
    'hearing.reference': m.reference,
    hearing: m.hearingLegend,
    mode: m.modeLegend,
    kind: m.kind,
    owner: m.owner,
    due: m.due,
    status: m.status,
    note: m.note,
    referral: m.referral,
  };
  for (let i = 0; i < tasks; i++) {
    const n = fill(m.taskN, { n: i + 1 });
    for (const [key, label] of [['kind', m.kind], ['owner', m.owner], ['due', m.due], ['note', m.note], ['status', m.status]] as const) labels[`tasks[${i}].${key}`] = `${n}: ${label}`;
  }
  return labels;
}

/**
 * A refusal the form can show: the API's field problems (400), or the consent that does not
 * cover the plan or has ended (403), in the person's words; anything else is the frame's (null).
 */
export function formProblem(lang: Lang, error: unknown): ApiError | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 400) return error;
  const m = courtTrips[lang];
  if (error.code === 'ConsentScope') return new ApiError(400, error.code, m.consentNotCovered);
  if (error.code === 'ConsentMissing' || error.code === 'ConsentWithdrawn' || error.code === 'ConsentExpired') return new ApiError(400, error.code, m.consentEnded);
  return null;
}
