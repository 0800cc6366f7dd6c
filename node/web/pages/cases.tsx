import type { Context, Hono } from 'hono';
import { formatTime, shortId } from '../format.js';
import { common } from '../i18n/common.js';
import { cases as words } from '../i18n/cases.js';
import { fill } from '../i18n/languages.js';
import { Csrf, Problems } from '../layout.js';
import { ApiError } from '../local-api.js';
import { render } from '../render.js';
import { type WebEnv, done } from '../session.js';
import { term } from '../terms.js';

/**
 * The cases this person may see, newest change first, one page at a time (the API is asked for
 * one page only, so 10,000 cases cost what 25 do); and a new case with what a case worker
 * writes down at first contact. The form posts (names and phone numbers never go in a URL);
 * what the API refuses is named field by field and the form comes back as it was typed.
 */

const PAGE = 25;
const GENDERS = ['female', 'male', 'non-binary', 'unknown'] as const;
const AGE_BANDS = ['0-13', '14-17', '18-25', '26-35', '36-50', '51+', 'unknown'] as const;
const NEEDS = ['shelter', 'medical', 'psychological', 'legal-aid', 'interpretation', 'return-assistance', 'reintegration', 'child-protection', 'financial', 'documents', 'other'] as const;
const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'imminent'] as const;

interface CaseListItem {
  id: string;
  state: string;
  origin: string;
  createdAt: number;
  updatedAt: number;
}

type Form = Record<string, string | string[]>;

const str = (form: Form, key: string): string => {
  const v = form[key];
  return typeof v === 'string' ? v.trim() : '';
};
const all = (form: Form, key: string): string[] => {
  const v = form[key];
  return (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).filter((x) => x !== '');
};
const codes = (text: string, upper: boolean): string[] =>
  text
    .split(/[\s,;]+/)
    .filter((x) => x !== '')
    .map((x) => (upper ? x.toUpperCase() : x));

/** the form as the API's CaseData: only what was filled in */
export function caseDataFrom(form: Form, now: number): Record<string, unknown> {
  const person: Record<string, unknown> = {};
  for (const key of ['givenName', 'familyName', 'dateOfBirth', 'ageBand', 'gender', 'phone']) if (str(form, key) !== '') person[key] = str(form, key);
  if (str(form, 'nationality') !== '') person.nationality = codes(str(form, 'nationality'), true);
  if (str(form, 'languages') !== '') person.languages = codes(str(form, 'languages'), false);
  if (str(form, 'child') === 'yes') person.child = true;
  const data: Record<string, unknown> = { person, status: { victimStatus: str(form, 'victimStatus') === 'identified' ? 'identified' : 'presumed' } };
  const needs = all(form, 'needs');
  if (needs.length > 0) data.needs = needs;
  if (str(form, 'riskLevel') !== '') data.riskAssessment = { level: str(form, 'riskLevel'), summary: str(form, 'riskSummary'), safetyPlan: str(form, 'safetyPlan'), revisedAt: now };
  if (str(form, 'notes') !== '') data.notes = str(form, 'notes');
  return data;
}

export function mountCases(app: Hono<WebEnv>): void {
  app.get('/cases', async (c) => {
    const lang = c.get('lang');
    const m = words[lang];
    const cm = common[lang];
    const raw = c.req.query('page') ?? '1';
    const page = /^\d{1,5}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1;
    // one more than a page: whether there is a next page, without counting every case
    const { cases } = await c.get('api').get<{ cases: CaseListItem[] }>('/api/v1/cases', { limit: PAGE + 1, offset: (page - 1) * PAGE });
    const shown = cases.slice(0, PAGE);
    return render(
      c,
      { title: m.title, section: 'cases' },
      <>
        <h1>{m.title}</h1>
        <p>
          <a class="button" href="/cases/new">
            {m.newCase}
          </a>
        </p>
        {shown.length === 0 ? (
          <p>{page === 1 ? m.noCases : m.noMore}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="hint">{fill(cm.pageOf, { page })}</caption>
              <thead>
                <tr>
                  <th scope="col">{m.case}</th>
                  <th scope="col">{m.state}</th>
                  <th scope="col">{m.origin}</th>
                  <th scope="col">{m.updated}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((k) => (
                  <tr>
                    <td>
                      <a href={`/cases/${k.id}`}>
                        {m.open} {shortId(k.id)}
                      </a>
                    </td>
                    <td>
                      <span class="badge">{term(lang, 'caseState', k.state)}</span>
                    </td>
                    <td>{k.origin === 'received' ? m.originReceived : m.originLocal}</td>
                    <td>{formatTime(lang, k.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav class="pager" aria-label={m.pages}>
          {page > 1 ? (
            <a href={`/cases?page=${page - 1}`} rel="prev">
              {cm.previous}
            </a>
          ) : null}
          <span>{fill(cm.pageOf, { page })}</span>
          {cases.length > PAGE ? (
            <a href={`/cases?page=${page + 1}`} rel="next">
              {cm.next}
            </a>
          ) : null}
        </nav>
      </>,
    );
  });

  const newForm = (c: Context<WebEnv>, form: Form, error: ApiError | null) => {
    const lang = c.get('lang');
    const m = words[lang];
    const labels: Record<string, string> = {
      'person.givenName': m.givenName,
      'person.familyName': m.familyName,
      'person.dateOfBirth': m.dateOfBirth,
      'person.ageBand': m.ageBand,
      'person.gender': m.gender,
      'person.phone': m.phone,
      'person.nationality': m.nationality,
      'person.languages': m.languages,
      'status.victimStatus': m.victimStatus,
      needs: m.needs,
      'riskAssessment.level': m.riskLevel,
      'riskAssessment.summary': m.riskSummary,
      'riskAssessment.safetyPlan': m.safetyPlan,
      notes: m.notes,
    };
    for (let i = 0; i < 10; i++) {
      labels[`person.nationality[${i}]`] = m.nationality;
      labels[`person.languages[${i}]`] = m.languages;
      labels[`needs[${i}]`] = m.needs;
    }
    const text = (name: string, label: string, extra: Record<string, unknown> = {}, hint?: string) => (
      <div>
        <label for={name}>{label}</label>
        {hint ? (
          <p class="hint" id={`${name}-hint`}>
            {hint}
          </p>
        ) : null}
        <input type="text" id={name} name={name} value={str(form, name)} aria-describedby={hint ? `${name}-hint` : undefined} {...extra} />
      </div>
    );
    const select = (name: string, label: string, values: readonly string[], kind: Parameters<typeof term>[1]) => (
      <div>
        <label for={name}>{label}</label>
        <select id={name} name={name}>
          <option value="">{m.notKnown}</option>
          {values.map((v) => (
            <option value={v} selected={str(form, name) === v}>
              {term(lang, kind, v)}
            </option>
          ))}
        </select>
      </div>
    );
    return render(
      c,
      { title: m.newCase, section: 'cases', status: error ? 400 : 200 },
      <>
        <h1>{m.newCase}</h1>
        <p>{m.newCaseIntro}</p>
        <Problems lang={lang} error={error} labels={labels} />
        <form method="post" action="/cases/new" class="stack">
          <Csrf value={c.get('csrf')} />
          <fieldset>
            <legend>{m.person}</legend>
            {text('givenName', m.givenName, { maxlength: 200, autocomplete: 'off' })}
            {text('familyName', m.familyName, { maxlength: 200, autocomplete: 'off' })}
            <div>
              <label for="dateOfBirth">{m.dateOfBirth}</label>
              <input type="date" id="dateOfBirth" name="dateOfBirth" value={str(form, 'dateOfBirth')} />
            </div>
            {select('ageBand', m.ageBand, AGE_BANDS, 'ageBand')}
            {select('gender', m.gender, GENDERS, 'gender')}
            {text('nationality', m.nationality, { maxlength: 40, autocomplete: 'off' }, m.nationalityHint)}
            {text('languages', m.languages, { maxlength: 80, autocomplete: 'off' }, m.languagesHint)}
            {text('phone', m.phone, { maxlength: 32, autocomplete: 'off', inputmode: 'tel' })}
            <div>
              <input type="checkbox" id="child" name="child" value="yes" checked={str(form, 'child') === 'yes'} /> <label for="child">{m.child}</label>
            </div>
          </fieldset>
          <fieldset>
            <legend>{m.victimStatus}</legend>
            {(['presumed', 'identified'] as const).map((v) => (
              <div>
                <input type="radio" id={`victimStatus-${v}`} name="victimStatus" value={v} checked={(str(form, 'victimStatus') || 'presumed') === v} />{' '}
                <label for={`victimStatus-${v}`}>{term(lang, 'victimStatus', v)}</label>
              </div>
            ))}
          </fieldset>
          <fieldset>
            <legend>{m.needs}</legend>
            {NEEDS.map((n) => (
              <div>
                <input type="checkbox" id={`need-${n}`} name="needs" value={n} checked={all(form, 'needs').includes(n)} /> <label for={`need-${n}`}>{term(lang, 'need', n)}</label>
              </div>
            ))}
          </fieldset>
          <fieldset>
            <legend>{m.risk}</legend>
            {select('riskLevel', m.riskLevel, RISK_LEVELS, 'riskLevel')}
            <div>
              <label for="riskSummary">{m.riskSummary}</label>
              <textarea id="riskSummary" name="riskSummary" rows={3} maxlength={5000}>
                {str(form, 'riskSummary')}
              </textarea>
            </div>
            <div>
              <label for="safetyPlan">{m.safetyPlan}</label>
              <textarea id="safetyPlan" name="safetyPlan" rows={3} maxlength={5000}>
                {str(form, 'safetyPlan')}
              </textarea>
            </div>
          </fieldset>
          <div>
            <label for="notes">{m.notes}</label>
            <textarea id="notes" name="notes" rows={4}>
              {str(form, 'notes')}
            </textarea>
          </div>
          <div>
            <button type="submit">{m.openCase}</button>
          </div>
        </form>
      </>,
    );
  };

  app.get('/cases/new', (c) => newForm(c, {}, null));

  app.post('/cases/new', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    const api = c.get('api');
    try {
      const { now } = await api.get<{ now: number }>('/api/v1/session');
      const opened = await api.post<{ id: string }>('/api/v1/cases', caseDataFrom(form, now));
      return done(c, 'caseOpened', `/cases/${opened.id}`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      return newForm(c, form, error);
    }
  });
}
