import type { Context, Hono } from 'hono';
import { Need, Purpose, Urgency } from '../../../protocol/index.js';
import { formatDate, shortId } from '../format.js';
import { directory } from '../i18n/directory.js';
import { type Lang, fill } from '../i18n/languages.js';
import { fields as fieldNames } from '../i18n/fields.js';
import { referral } from '../i18n/referral.js';
import { Csrf, Problems } from '../layout.js';
import { ApiError } from '../local-api.js';
import { render } from '../render.js';
import { type WebEnv, done } from '../session.js';
import { term } from '../terms.js';
import { Results, SearchFields, type SearchValues, searchDirectory, searchValues } from './directory.js';

/**
 * Making a referral (issue 8): the form on one side, the directory search beside it (stacked on
 * a phone), each result a button that fills the recipient; then a preview of exactly the fields
 * that will leave the node (the local API's dry run, built by the code that sends), then "Send".
 * Everything is one POST form: what the case worker typed (the summary above all) never goes into
 * a URL, and choosing from the directory keeps it.
 */

interface CaseView {
  id: string;
  consents: { id: string; status: string; expires: number; processing: { purposes: string[]; recipients: string[] }[] }[];
}

export interface ReferForm {
  to: string;
  purpose: string;
  consentId: string;
  needs: string[];
  urgency: string;
  currentCountry: string;
  destinationCountry: string;
  summary: string;
  respondBy: string;
  contactName: string;
  contactRole: string;
  contactPhone: string;
  contactEmail: string;
}

const TEXT_KEYS = ['to', 'purpose', 'consentId', 'urgency', 'currentCountry', 'destinationCountry', 'summary', 'respondBy', 'contactName', 'contactRole', 'contactPhone', 'contactEmail'] as const;

function readForm(body: Record<string, string | File | (string | File)[]>): ReferForm {
  const one = (k: string) => {
    const v = body[k];
    const s = Array.isArray(v) ? v[v.length - 1] : v;
    return typeof s === 'string' ? s.trim() : '';
  };
  const needs = body.needs;
  const list = (Array.isArray(needs) ? needs : needs === undefined ? [] : [needs]).filter((n): n is string => typeof n === 'string');
  const out = { needs: list } as unknown as ReferForm;
  for (const k of TEXT_KEYS) (out as unknown as Record<string, string>)[k] = one(k);
  return out;
}

/** the local API's OfferInput from the form; empty fields left out, so the API names what is missing */
function offerInput(caseId: string, f: ReferForm): Record<string, unknown> {
  const opt = (k: string, v: string) => (v === '' ? {} : { [k]: v });
  let respondBy: unknown;
  if (f.respondBy !== '') {
    const ms = Date.parse(`${f.respondBy}T23:59:59Z`);
    respondBy = /^\d{4}-\d{2}-\d{2}$/.test(f.respondBy) && Number.isFinite(ms) ? Math.floor(ms / 1000) : 'invalid';
  }
  return {
    caseId,
    ...opt('to', f.to),
    ...opt('purpose', f.purpose),
    ...opt('consentId', f.consentId),
    needs: f.needs,
    ...opt('urgency', f.urgency),
    ...opt('currentCountry', f.currentCountry.toUpperCase()),
    ...opt('destinationCountry', f.destinationCountry.toUpperCase()),
    ...opt('summary', f.summary),
    ...(respondBy === undefined ? {} : { respondBy }),
    contact: { ...opt('name', f.contactName), ...opt('role', f.contactRole), ...opt('phone', f.contactPhone), ...opt('email', f.contactEmail) },
  };
}

/** a refusal the case worker can fix on the form (anything else goes to the frame's error pages) */
export function fixable(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status !== 401 && error.code !== 'Forbidden' && !(error.status === 404 && error.issues.length === 0);
}

/** a value as a person reads it: enumerated values through term(), lists joined, objects by their parts */
export function valueText(lang: Lang, pointer: string, value: unknown): string {
  const m = referral[lang];
  const kind = ({ '/needs': 'need', '/urgency': 'urgency', '/purpose': 'purpose', '/gender': 'gender', '/person/gender': 'gender' } as const)[pointer];
  if (kind) return Array.isArray(value) ? value.map((v) => term(lang, kind, String(v))).join(', ') : term(lang, kind, String(value));
  if (pointer === '/respondBy' && typeof value === 'number') return formatDate(lang, value * 1000);
  if (typeof value === 'boolean') return value ? m.yes : m.no;
  if (Array.isArray(value)) return value.map((v) => valueText(lang, '', v)).join(', ');
  if (value !== null && typeof value === 'object') return Object.values(value as Record<string, unknown>).map((v) => valueText(lang, '', v)).filter((s) => s !== '').join(' · ');
  return value === undefined || value === null ? '' : String(value);
}

/** what leaves the node: one row per field, its name and exactly the value sent */
export function FieldTable(props: { lang: Lang; fields: string[]; body: Record<string, unknown>; id: string }) {
  const m = referral[props.lang];
  const labels = fieldNames[props.lang] as Record<string, string>;
  const at = (pointer: string): unknown => pointer.split('/').slice(1).reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), props.body);
  return (
    <div class="table-wrap">
      <table id={props.id}>
        <thead>
          <tr>
            <th scope="col">{m.field}</th>
            <th scope="col">{m.value}</th>
          </tr>
        </thead>
        <tbody>
          {props.fields.map((f) => (
            <tr data-field={f}>
              <th scope="row">{labels[`f:${f}`] ?? f}</th>
              <td>{valueText(props.lang, f, at(f))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const LABEL_PATHS = (lang: Lang): Record<string, string> => {
  const m = referral[lang];
  return {
    to: m.recipient,
    recipient: m.recipient,
    purpose: m.purpose,
    consentId: m.consent,
    needs: m.needs,
    urgency: m.urgency,
    currentCountry: m.currentCountry,
    destinationCountry: m.destinationCountry,
    summary: m.summary,
    respondBy: m.respondBy,
    'contact.name': m.contactName,
    'contact.role': m.contactRole,
    'contact.phone': m.contactPhone,
    'contact.email': m.contactEmail,
    ...Object.fromEntries(Object.entries(directory[lang]).filter(([k]) => ['country', 'city', 'type', 'language', 'served', 'route'].includes(k))),
  };
};

const orgName = async (c: Context<WebEnv>, org: string): Promise<string> => {
  if (!/^org:[a-z0-9-]{1,64}$/.test(org)) return org;
  try {
    return (await c.get('api').get<{ name: string }>(`/api/v1/directory/orgs/${encodeURIComponent(org)}`)).name;
  } catch {
    return org;
  }
};

async function formPage(c: Context<WebEnv>, caseId: string, form: ReferForm, search: SearchValues, error: ApiError | null) {
  const lang = c.get('lang');
  const m = referral[lang];
  const d = directory[lang];
  const theCase = await c.get('api').get<CaseView>(`/api/v1/cases/${encodeURIComponent(caseId)}`);
  const covers = (p: CaseView['consents'][number]['processing'][number]) => (form.to === '' || p.recipients.includes(form.to)) && (form.purpose === '' || p.purposes.includes(form.purpose));
  const usable = theCase.consents.filter((k) => k.status === 'given' && k.processing.some(covers));
  const [{ result, error: searchError }, chosen] = await Promise.all([searchDirectory(c, search, 10), form.to === '' ? Promise.resolve(null) : orgName(c, form.to)]);
  const problem = error ?? searchError;
  const id = (k: string) => `refer-${k}`;
  const text = (k: keyof ReferForm, label: string, extra: Record<string, string> = {}) => (
    <div>
      <label for={id(k)}>{label}</label>
      <input type="text" id={id(k)} name={k} value={String(form[k])} {...extra} />
    </div>
  );
  return render(
    c,
    { title: m.referTitle, section: 'cases', status: problem ? 400 : 200 },
    <>
      <h1>{m.referTitle}</h1>
      <p>
        <a href={`/cases/${encodeURIComponent(caseId)}`}>{m.backToCase}</a>
      </p>
      <p class="hint">{m.referIntro}</p>
      <Problems lang={lang} error={problem} labels={LABEL_PATHS(lang)} />
      <form method="post" action={`/cases/${encodeURIComponent(caseId)}/refer`} class="columns">
        <Csrf value={c.get('csrf')} />
        {/* Enter in any field searches the directory (keeping what was typed); only the preview button previews */}
        <button type="submit" name="step" value="search" hidden tabindex={-1}>
          {m.searchButton}
        </button>
        <section aria-labelledby="refer-form-title" class="stack">
          <h2 id="refer-form-title">{m.referralTitle}</h2>
          <div>
            <label for={id('to')}>{m.recipient}</label>
            <input type="text" id={id('to')} name="to" value={form.to} aria-describedby={id('to-hint')} autocomplete="off" />
            <p class="hint" id={id('to-hint')}>
              {chosen && chosen !== form.to ? fill(m.chosenOrg, { name: chosen }) : m.recipientHint}
            </p>
          </div>
          <div>
            <label for={id('purpose')}>{m.purpose}</label>
            <select id={id('purpose')} name="purpose">
              {Purpose.options.map((p) => (
                <option value={p} selected={form.purpose === p}>
                  {term(lang, 'purpose', p)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for={id('consentId')}>{m.consent}</label>
            <select id={id('consentId')} name="consentId" aria-describedby={id('consent-hint')}>
              {usable.map((k) => (
                <option value={k.id} selected={form.consentId === k.id}>
                  {`${fill(m.consentOption, { id: shortId(k.id).replace('…', ''), expires: formatDate(lang, k.expires * 1000) })}: ${[...new Set(k.processing.flatMap((p) => p.purposes))].map((p) => term(lang, 'purpose', p)).join(', ')} → ${[...new Set(k.processing.flatMap((p) => p.recipients))].join(', ')}`}
                </option>
              ))}
            </select>
            <p class="hint" id={id('consent-hint')}>
              {usable.length === 0 ? m.noConsent : m.consentCovers}
            </p>
          </div>
          <fieldset>
            <legend>{m.needs}</legend>
            {Need.options.map((n) => (
              <div>
                <input type="checkbox" id={id(`need-${n}`)} name="needs" value={n} checked={form.needs.includes(n)} /> <label for={id(`need-${n}`)}>{term(lang, 'need', n)}</label>
              </div>
            ))}
          </fieldset>
          <fieldset>
            <legend>{m.urgency}</legend>
            {Urgency.options.map((u) => (
              <div>
                <input type="radio" id={id(`urgency-${u}`)} name="urgency" value={u} checked={form.urgency === u} /> <label for={id(`urgency-${u}`)}>{term(lang, 'urgency', u)}</label>
              </div>
            ))}
          </fieldset>
          {text('currentCountry', m.currentCountry, { maxlength: '2', autocomplete: 'off' })}
          {text('destinationCountry', m.destinationCountry, { maxlength: '2', autocomplete: 'off' })}
          <div>
            <label for={id('summary')}>{m.summary}</label>
            <textarea id={id('summary')} name="summary" rows={4} aria-describedby={id('summary-hint')}>
              {form.summary}
            </textarea>
            <p class="hint" id={id('summary-hint')}>
              {m.summaryHint}
            </p>
          </div>
          <div>
            <label for={id('respondBy')}>{m.respondBy}</label>
            <input type="date" id={id('respondBy')} name="respondBy" value={form.respondBy} />
          </div>
          <fieldset>
            <legend>{m.contactLegend}</legend>
            {text('contactName', m.contactName, { autocomplete: 'name' })}
            {text('contactRole', m.contactRole)}
            {text('contactPhone', m.contactPhone, { autocomplete: 'tel' })}
            {text('contactEmail', m.contactEmail, { autocomplete: 'email' })}
          </fieldset>
          <div>
            <button type="submit" name="step" value="preview">
              {m.previewButton}
            </button>
          </div>
        </section>
        <section aria-labelledby="refer-directory-title" class="stack">
          <h2 id="refer-directory-title">{m.directoryTitle}</h2>
          <SearchFields lang={lang} values={search} prefix="refer-dir" />
          <div>
            <button type="submit" name="step" value="search" class="secondary">
              {m.searchButton}
            </button>
          </div>
          {result ? (
            <Results
              lang={lang}
              result={result}
              level={2}
              action={(hit) => (
                <button type="submit" name="choose" value={hit.org} class="secondary">
                  {fill(m.choose, { name: hit.orgName })}
                </button>
              )}
            />
          ) : (
            <p>{d.noResults}</p>
          )}
        </section>
      </form>
    </>,
  );
}

async function previewPage(c: Context<WebEnv>, caseId: string, form: ReferForm, search: SearchValues, preview: { body: Record<string, unknown>; fields: string[] }) {
  const lang = c.get('lang');
  const m = referral[lang];
  const name = await orgName(c, form.to);
  const hidden = (k: string, v: string) => <input type="hidden" name={k} value={v} />;
  return render(
    c,
    { title: m.previewTitle, section: 'cases' },
    <>
      <h1>{m.previewTitle}</h1>
      <p>{fill(m.previewIntro, { org: name })}</p>
      <FieldTable lang={lang} fields={preview.fields} body={preview.body} id="offer-preview" />
      <p class="hint">{fill(m.notIdentifying, { org: name })}</p>
      {/* two forms with the same values: data-long disables the buttons on submit, so the step travels as a hidden field */}
      <div class="pager">
        <form method="post" action={`/cases/${encodeURIComponent(caseId)}/refer`} class="inline" data-long>
          <Csrf value={c.get('csrf')} />
          {hidden('step', 'send')}
          {TEXT_KEYS.map((k) => hidden(k, form[k]))}
          {form.needs.map((n) => hidden('needs', n))}
          <button type="submit">{m.send}</button>
        </form>
        <form method="post" action={`/cases/${encodeURIComponent(caseId)}/refer`} class="inline">
          <Csrf value={c.get('csrf')} />
          {hidden('step', 'edit')}
          {TEXT_KEYS.map((k) => hidden(k, form[k]))}
          {form.needs.map((n) => hidden('needs', n))}
          {Object.entries(search).map(([k, v]) => hidden(k, v ?? ''))}
          <button type="submit" class="secondary">
            {m.edit}
          </button>
        </form>
      </div>
    </>,
  );
}

export function mountRefer(app: Hono<WebEnv>): void {
  app.get('/cases/:id/refer', async (c) => {
    const me = c.get('me');
    const empty: ReferForm = { to: '', purpose: 'referral', consentId: '', needs: [], urgency: 'routine', currentCountry: '', destinationCountry: '', summary: '', respondBy: '', contactName: me.name, contactRole: '', contactPhone: '', contactEmail: '' };
    const to = c.req.query('to');
    if (to !== undefined && /^org:[a-z0-9-]{1,64}$/.test(to)) empty.to = to;
    return formPage(c, c.req.param('id'), empty, {}, null);
  });

  app.post('/cases/:id/refer', async (c) => {
    const caseId = c.req.param('id');
    const body = await c.req.parseBody({ all: true });
    const form = readForm(body);
    const search = searchValues(Object.fromEntries(Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v[v.length - 1] : v])));
    const chosen = body.choose;
    if (typeof chosen === 'string' && chosen !== '') {
      form.to = chosen;
      return formPage(c, caseId, form, search, null);
    }
    const step = typeof body.step === 'string' ? body.step : 'edit';
    if (step === 'preview' || step === 'send') {
      try {
        if (step === 'preview') return await previewPage(c, caseId, form, search, await c.get('api').post('/api/v1/referrals/preview', offerInput(caseId, form)));
        const sent = await c.get('api').post<{ id: string }>('/api/v1/referrals', offerInput(caseId, form));
        return done(c, 'referralSent', `/referrals/${sent.id}`);
      } catch (error) {
        if (!fixable(error)) throw error;
        return formPage(c, caseId, form, search, error);
      }
    }
    return formPage(c, caseId, form, search, null);
  });
}

