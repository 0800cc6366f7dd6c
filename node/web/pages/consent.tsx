import type { Context, Hono } from 'hono';
import { OrgId, randomBytes, toBase64Url } from '../../../protocol/index.js';
import { type CaseView, orgIds, orgNames } from '../case-api.js';
import { shortId } from '../format.js';
import { consent as words } from '../i18n/consent.js';
import { FIELD_GROUPS, FIELD_WORDS, categoryOf } from '../i18n/consent-fields.js';
import { RETENTION_CHOICES, NOTICE_WORDS } from '../i18n/consent-notice.js';
import { LANGUAGE_INFO, NOTICE_LANGUAGES, type NoticeLang, isNoticeLang } from '../i18n/languages.js';
import { Csrf, Problems } from '../layout.js';
import { ApiError } from '../local-api.js';
import { Notice, type NoticeInput, noticeRecord } from '../notice.js';
import { render } from '../render.js';
import { type WebEnv, done } from '../session.js';
import { term } from '../terms.js';

/**
 * Recording a consent with the person: what is shared (the case's fields in plain words, by
 * kind), with whom (organisations from the directory), for what, whether it may go further, how
 * long it is kept, until when the consent runs (12 months at most) and how it was given. Before
 * anything is recorded, a review shows it in plain sentences and offers the text in the person's
 * language to print; the record carries the SHA-256 of that exact text (`notice`).
 */

const PURPOSES = ['referral', 'assistance', 'legal-proceedings', 'return-travel', 'reintegration'] as const;
const COUNTRIES = ['AT', 'DE', 'GR', 'MK', 'RS', 'AL', 'XK', 'BA', 'HR', 'SI', 'HU', 'ME', 'TR'] as const;
const RELATIONS = ['parent', 'appointed-guardian', 'legal-representative', 'social-services', 'other'] as const;
const DAY = 86_400;

export type Form = Record<string, string | string[]>;
const str = (form: Form, key: string): string => (typeof form[key] === 'string' ? (form[key] as string).trim() : '');
const all = (form: Form, key: string): string[] => {
  const v = form[key];
  return (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).filter((x) => typeof x === 'string' && x !== '');
};
const isoDay = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

export interface Draft {
  purposes: string[];
  recipients: string[];
  fields: string[];
  onward: string[] | null;
  retention: string;
  expires: number;
  jurisdiction: string;
  personLang: NoticeLang;
  method: 'written' | 'verbal';
  interpreter: boolean;
  givenBy: 'data-subject' | 'guardian' | 'legal-representative';
  relation: string;
}

/** the form as a draft, and what is missing, by field */
export function draftFrom(form: Form, now: number): { draft: Draft; issues: { path: string; problem: string }[] } {
  const day = str(form, 'expires');
  const expires = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Math.floor(Date.parse(`${day}T23:59:59Z`) / 1000) : Number.NaN;
  const draft: Draft = {
    purposes: all(form, 'purposes'),
    recipients: [...new Set([...all(form, 'recipients'), ...orgIds(str(form, 'otherRecipients'))])],
    fields: all(form, 'fields'),
    onward: str(form, 'onward') === 'yes' ? orgIds(str(form, 'onwardTo')) : null,
    retention: str(form, 'retention') || 'P1Y',
    expires,
    jurisdiction: str(form, 'jurisdiction'),
    personLang: isNoticeLang(str(form, 'personLang')) ? (str(form, 'personLang') as NoticeLang) : 'en',
    method: str(form, 'method') === 'verbal' ? 'verbal' : 'written',
    interpreter: str(form, 'interpreter') === 'yes',
    givenBy: str(form, 'givenBy') === 'guardian' ? 'guardian' : str(form, 'givenBy') === 'legal-representative' ? 'legal-representative' : 'data-subject',
    relation: str(form, 'relation'),
  };
  const issues: { path: string; problem: string }[] = [];
  if (draft.purposes.length === 0) issues.push({ path: 'purposes', problem: 'required' });
  if (draft.recipients.length === 0) issues.push({ path: 'recipients', problem: 'required' });
  if (draft.fields.length === 0) issues.push({ path: 'fields', problem: 'required' });
  if (draft.onward !== null && draft.onward.length === 0) issues.push({ path: 'onwardTo', problem: 'required' });
  // an organisation id typed by hand that cannot be one: named by its field, never echoed
  if (orgIds(str(form, 'otherRecipients')).some((x) => !OrgId.safeParse(x).success)) issues.push({ path: 'otherRecipients', problem: 'invalid_format' });
  if (draft.onward !== null && draft.onward.some((x) => !OrgId.safeParse(x).success)) issues.push({ path: 'onwardTo', problem: 'invalid_format' });
  if (!(expires > now && expires - now <= 366 * DAY)) issues.push({ path: 'expires', problem: 'out_of_range' });
  if (!/^[A-Z]{2}$/.test(draft.jurisdiction)) issues.push({ path: 'jurisdiction', problem: 'required' });
  if (draft.givenBy !== 'data-subject' && !(RELATIONS as readonly string[]).includes(draft.relation)) issues.push({ path: 'relation', problem: 'required' });
  return { draft, issues };
}

export function noticeInput(draft: Draft, lang: NoticeLang, names: Map<string, string>): NoticeInput {
  return {
    lang,
    expires: draft.expires,
    orgNames: names,
    processing: [{ purposes: draft.purposes, recipients: draft.recipients, fields: draft.fields, onwardSharing: { allowed: draft.onward !== null, to: draft.onward ?? [] }, retention: draft.retention }],
  };
}

/** the draft again as hidden fields: the review's forms carry it to the next step */
function Hidden(props: { form: Form }) {
  const keys = ['purposes', 'recipients', 'otherRecipients', 'fields', 'onward', 'onwardTo', 'retention', 'expires', 'jurisdiction', 'personLang', 'method', 'interpreter', 'givenBy', 'relation'];
  return <>{keys.flatMap((k) => all(props.form, k).map((v) => <input type="hidden" name={k} value={v} />))}</>;
}

async function recipientChoices(c: Context<WebEnv>, found: CaseView): Promise<Map<string, string>> {
  const result = await c.get('api').get<{ results: { org: string; orgName: string }[] }>('/api/v1/directory/search', { perPage: 100 });
  const choices = new Map<string, string>();
  for (const r of result.results) if (!choices.has(r.org)) choices.set(r.org, r.orgName);
  const extra = await orgNames(c.get('api'), found.referrals.map((r) => r.peerOrg));
  for (const [org, name] of extra) if (!choices.has(org)) choices.set(org, name);
  return new Map([...choices.entries()].sort((a, b) => a[1].localeCompare(b[1])));
}

async function consentForm(c: Context<WebEnv>, form: Form, error: ApiError | null) {
  const lang = c.get('lang');
  const m = words[lang];
  const api = c.get('api');
  const found = await api.get<CaseView>(`/api/v1/cases/${c.req.param('id')}`);
  const { now } = await api.get<{ now: number }>('/api/v1/session');
  const choices = await recipientChoices(c, found);
  const f = FIELD_WORDS[lang] as Record<string, string>;
  const held = new Set(Object.keys(found.data ?? {}).flatMap((k) => (k === 'person' ? Object.keys(found.data?.person ?? {}).map((p) => `/person/${p}`) : [`/${k}`])));
  const fresh = Object.keys(form).length === 0;
  const checked = (key: string, value: string) => all(form, key).includes(value);
  const labels: Record<string, string> = { purposes: m.purposes, recipients: m.recipients, otherRecipients: m.otherRecipients, fields: m.fields, onwardTo: m.onwardTo, expires: m.expires, jurisdiction: m.jurisdiction, relation: m.relation };
  for (let i = 0; i < 20; i++) {
    labels[`processing[0].recipients[${i}]`] = m.recipients;
    labels[`processing[0].onwardSharing.to[${i}]`] = m.onwardTo;
  }
  return render(
    c,
    { title: m.title, section: 'cases', status: error ? 400 : 200 },
    <>
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      <p>
        <a href={`/cases/${found.id}`}>
          {m.backToCase} {shortId(found.id)}
        </a>
      </p>
      <Problems lang={lang} error={error} labels={labels} />
      <form method="post" action={`/cases/${found.id}/consents/new`} class="stack">
        <Csrf value={c.get('csrf')} />
        <input type="hidden" name="step" value="review" />
        <fieldset>
          <legend>{m.purposes}</legend>
          {PURPOSES.map((p) => (
            <div>
              <input type="checkbox" id={`purpose-${p}`} name="purposes" value={p} checked={checked('purposes', p)} /> <label for={`purpose-${p}`}>{term(lang, 'purpose', p)}</label>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{m.recipients}</legend>
          {[...choices.entries()].map(([org, name], i) => (
            <div>
              <input type="checkbox" id={`recipient-${i}`} name="recipients" value={org} checked={checked('recipients', org)} /> <label for={`recipient-${i}`}>{name}</label>
            </div>
          ))}
          <div>
            <label for="otherRecipients">{m.otherRecipients}</label>
            <input type="text" id="otherRecipients" name="otherRecipients" value={str(form, 'otherRecipients')} maxlength={400} autocomplete="off" />
          </div>
        </fieldset>
        <fieldset>
          <legend>{m.fields}</legend>
          <p class="hint">{m.fieldsHint}</p>
          {FIELD_GROUPS.map((g) => {
            const offered = g.fields.filter((x) => held.has(x));
            return offered.length === 0 ? null : (
              <fieldset>
                <legend>{term(lang, 'category', g.category)}</legend>
                {offered.map((x) => (
                  <div>
                    <input type="checkbox" id={`field-${x.slice(1).replace('/', '-')}`} name="fields" value={x} checked={checked('fields', x)} /> <label for={`field-${x.slice(1).replace('/', '-')}`}>{f[x]}</label>
                  </div>
                ))}
              </fieldset>
            );
          })}
        </fieldset>
        <fieldset>
          <legend>{m.onward}</legend>
          <div>
            <input type="radio" id="onward-no" name="onward" value="no" checked={str(form, 'onward') !== 'yes'} /> <label for="onward-no">{m.onwardNo}</label>
          </div>
          <div>
            <input type="radio" id="onward-yes" name="onward" value="yes" checked={str(form, 'onward') === 'yes'} /> <label for="onward-yes">{m.onwardYes}</label>
          </div>
          <div>
            <label for="onwardTo">{m.onwardTo}</label>
            <input type="text" id="onwardTo" name="onwardTo" value={str(form, 'onwardTo')} maxlength={400} autocomplete="off" />
          </div>
        </fieldset>
        <div>
          <label for="retention">{m.retention}</label>
          <select id="retention" name="retention">
            {RETENTION_CHOICES.map((r) => (
              <option value={r} selected={(str(form, 'retention') || 'P1Y') === r}>
                {NOTICE_WORDS[lang][r]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="expires">{m.expires}</label>
          <p class="hint" id="expires-hint">
            {m.expiresHint}
          </p>
          <input type="date" id="expires" name="expires" aria-describedby="expires-hint" min={isoDay(now + DAY)} max={isoDay(now + 365 * DAY)} value={fresh ? isoDay(now + 365 * DAY) : str(form, 'expires')} required />
        </div>
        <div>
          <label for="jurisdiction">{m.jurisdiction}</label>
          <select id="jurisdiction" name="jurisdiction">
            <option value="">{m.choose}</option>
            {COUNTRIES.map((k) => (
              <option value={k} selected={str(form, 'jurisdiction') === k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>{m.how}</legend>
          <div>
            <label for="personLang">{m.personLang}</label>
            <select id="personLang" name="personLang">
              {NOTICE_LANGUAGES.map((l) => (
                <option value={l} lang={LANGUAGE_INFO[l].tag} selected={str(form, 'personLang') === l}>
                  {LANGUAGE_INFO[l].name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="method">{m.method}</label>
            <select id="method" name="method">
              {(['written', 'verbal'] as const).map((k) => (
                <option value={k} selected={str(form, 'method') === k}>
                  {term(lang, 'consentMethod', k)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <input type="checkbox" id="interpreter" name="interpreter" value="yes" checked={str(form, 'interpreter') === 'yes'} /> <label for="interpreter">{m.interpreter}</label>
          </div>
          <div>
            <label for="givenBy">{m.givenBy}</label>
            <select id="givenBy" name="givenBy">
              {(['data-subject', 'guardian', 'legal-representative'] as const).map((k) => (
                <option value={k} selected={str(form, 'givenBy') === k}>
                  {term(lang, 'consentGiver', k)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="relation">{m.relation}</label>
            <select id="relation" name="relation">
              <option value="">{m.notApplicable}</option>
              {RELATIONS.map((k) => (
                <option value={k} selected={str(form, 'relation') === k}>
                  {m[`relation.${k}`]}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <div>
          <button type="submit">{m.review}</button>
        </div>
      </form>
    </>,
  );
}

async function review(c: Context<WebEnv>, form: Form, draft: Draft) {
  const lang = c.get('lang');
  const m = words[lang];
  const id = c.req.param('id') ?? '';
  const names = await orgNames(c.get('api'), [...draft.recipients, ...(draft.onward ?? [])]);
  return render(
    c,
    { title: m.reviewTitle, section: 'cases' },
    <>
      <h1>{m.reviewTitle}</h1>
      <p>{m.reviewIntro}</p>
      <Notice input={noticeInput(draft, lang, names)} />
      <p>
        {m.personReads} <strong lang={LANGUAGE_INFO[draft.personLang].tag}>{LANGUAGE_INFO[draft.personLang].name}</strong>.
      </p>
      <div class="columns no-print">
        <form method="post" action={`/cases/${id}/consents/print`} target="_blank">
          <Csrf value={c.get('csrf')} />
          <Hidden form={form} />
          <button type="submit" class="secondary">
            {m.printForPerson}
          </button>
        </form>
        <form method="post" action={`/cases/${id}/consents/new`}>
          <Csrf value={c.get('csrf')} />
          <Hidden form={form} />
          <button type="submit" name="step" value="edit" class="secondary">
            {m.change}
          </button>{' '}
          <button type="submit" name="step" value="record">
            {m.record}
          </button>
        </form>
      </div>
    </>,
  );
}

export const CONSENTS_PATH = '/cases/:id{[0-9A-HJKMNP-TV-Z]{26}}/consents';

export function mountConsent(app: Hono<WebEnv>): void {
  const path = CONSENTS_PATH;
  app.get(`${path}/new`, (c) => consentForm(c, {}, null));

  app.post(`${path}/new`, async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    const api = c.get('api');
    const { now } = await api.get<{ now: number }>('/api/v1/session');
    const { draft, issues } = draftFrom(form, now);
    const step = str(form, 'step');
    if (step === 'edit') return consentForm(c, form, null);
    if (issues.length > 0) return consentForm(c, form, new ApiError(400, 'InvalidRequest', '', issues));
    if (step !== 'record') return review(c, form, draft);
    const names = await orgNames(api, [...draft.recipients, ...(draft.onward ?? [])]);
    const categories = [...new Set(draft.fields.map((x) => categoryOf(x)).filter((x) => x !== undefined))];
    const input = {
      given: {
        method: draft.method,
        language: draft.personLang,
        interpreterPresent: draft.interpreter,
        givenBy: draft.givenBy,
        ...(draft.givenBy === 'data-subject' ? {} : { guardian: { ref: toBase64Url(randomBytes(16)), relation: draft.relation } }),
        at: now,
      },
      processing: [{ purposes: draft.purposes, recipients: draft.recipients, categories, fields: draft.fields, onwardSharing: { allowed: draft.onward !== null, to: draft.onward ?? [] }, retention: draft.retention }],
      jurisdiction: draft.jurisdiction,
      expires: draft.expires,
      notice: noticeRecord(noticeInput(draft, draft.personLang, names)),
      staffRef: `account:${c.get('me').id}`,
    };
    try {
      await api.post(`/api/v1/cases/${c.req.param('id')}/consents`, input);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      return consentForm(c, form, error);
    }
    return done(c, 'consentRecorded', `/cases/${c.req.param('id')}`);
  });

}
