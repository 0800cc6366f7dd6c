import type { Context, Hono } from 'hono';
import { type CaseConsent, type CaseView, type ConsentStatus, orgNames } from '../case-api.js';
import { formatDate, formatTime, shortId } from '../format.js';
import { caseView as words } from '../i18n/case.js';
import { common } from '../i18n/common.js';
import { consentCard } from '../i18n/consent-card.js';
import { NOTICE_WORDS } from '../i18n/consent-notice.js';
import { FIELD_WORDS } from '../i18n/consent-fields.js';
import { type Lang, fill, isNoticeLang } from '../i18n/languages.js';
import { Csrf, Problems } from '../layout.js';
import { ApiError } from '../local-api.js';
import { render } from '../render.js';
import { type WebEnv, done } from '../session.js';
import { term } from '../terms.js';

/**
 * The case view: the person, where the case stands, the risk assessment and safety plan (changed
 * here), every consent with what it allows and, once withdrawn, which partner has confirmed the
 * deletion; the referrals with their contact person; the documents; and who saw the case (the
 * audit log). Reading it is itself recorded. A case of another team answers "Not allowed".
 */

interface Attachment {
  id: string;
  name: string | null;
  mediaType: string;
  size: number;
  state: string;
}
interface Access {
  total: number;
  entries: { seq: number; at: number; kind: string; accountId: string | null; name: string | null; actor: string }[];
}

const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'imminent'] as const;

function size(lang: Lang, bytes: number): string {
  const f = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  return bytes >= 1_048_576 ? `${f.format(bytes / 1_048_576)} MB` : bytes >= 1024 ? `${f.format(bytes / 1024)} KB` : `${f.format(bytes)} B`;
}

function Facts(props: { rows: [string, unknown][] }) {
  const rows = props.rows.filter(([, v]) => v !== undefined && v !== null && v !== '');
  return (
    <dl class="facts">
      {rows.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>{v as string}</dd>
        </>
      ))}
    </dl>
  );
}

/** what a consent allows, section by section, as rows of facts */
export function consentRows(lang: Lang, consent: CaseConsent, names: Map<string, string>): [string, unknown][] {
  const m = consentCard[lang];
  const f = FIELD_WORDS[lang] as Record<string, string>;
  const org = (id: string) => names.get(id) ?? id;
  return consent.processing.flatMap((p): [string, unknown][] => [
    [m.purposes, p.purposes.map((x) => term(lang, 'purpose', x)).join(', ')],
    [m.recipients, p.recipients.map(org).join(', ')],
    [m.categories, p.categories.map((x) => term(lang, 'category', x)).join(', ')],
    [m.fields, p.fields.map((x) => f[x] ?? x).join(', ')],
    [m.onward, p.onwardSharing.allowed ? fill(m.onwardTo, { list: p.onwardSharing.to.map(org).join(', ') }) : m.onwardNo],
    [m.retention, (NOTICE_WORDS[lang] as Record<string, string>)[p.retention] ?? p.retention],
  ]);
}

function ConsentCard(props: { c: Context<WebEnv>; caseId: string; consent: CaseConsent; status: ConsentStatus | null; names: Map<string, string> }) {
  const lang = props.c.get('lang');
  const m = consentCard[lang];
  const k = props.consent;
  const printLang = k.notice && isNoticeLang(k.notice.language) ? k.notice.language : isNoticeLang(k.given.language) ? k.given.language : lang;
  const badge = k.status === 'given' ? 'badge ok' : 'badge bad';
  return (
    <article class="card">
      <h3>
        {m.consent} {shortId(k.id)} <span class={badge}>{term(lang, 'consentStatus', k.status)}</span>
      </h3>
      <Facts
        rows={[
          [m.recorded, formatTime(lang, k.recordedAt * 1000)],
          [m.expires, formatDate(lang, k.expires * 1000)],
          [m.givenBy, `${term(lang, 'consentGiver', k.given.givenBy)}, ${term(lang, 'consentMethod', k.given.method)}`],
          [m.jurisdiction, k.jurisdiction],
          [m.recordedBy, k.local ? m.us : (props.names.get(k.controller) ?? k.controller)],
          ...consentRows(lang, k, props.names),
        ]}
      />
      {props.status && props.status.notices.length > 0 ? (
        <>
          <h4>{m.deletion}</h4>
          <ul>
            {props.status.notices.map((n) => (
              <li>
                {props.names.get(n.org) ?? n.org}:{' '}
                {n.status === 'received' ? (
                  <span class="badge ok">{fill(m.receiptArrived, { when: formatTime(lang, n.receiptAt ?? 0) })}</span>
                ) : n.status === 'escalated' ? (
                  <span class="badge bad">{m.receiptOverdue}</span>
                ) : (
                  <span class="badge warn">{m.receiptWaiting}</span>
                )}
                {n.receipt?.legalHold ? ` ${m.legalHold}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : k.status !== 'given' && k.local ? (
        <p>{m.nobodyToTell}</p>
      ) : null}
      <p>
        <a href={`/cases/${props.caseId}/consents/${k.id}/print?lang=${printLang}`}>{m.printConsent}</a>
        {k.local && k.status === 'given' ? (
          <>
            {' · '}
            <a href={`/cases/${props.caseId}/consents/${k.id}/withdraw`}>{m.withdraw}</a>
          </>
        ) : null}
      </p>
    </article>
  );
}

async function showCase(c: Context<WebEnv>, form: { level?: string; summary?: string; safetyPlan?: string } | null, error: ApiError | null) {
  const lang = c.get('lang');
  const m = words[lang];
  const api = c.get('api');
  const id = c.req.param('id') ?? '';
  const found = await api.get<CaseView>(`/api/v1/cases/${encodeURIComponent(id)}`);
  const [{ attachments }, access, statuses] = await Promise.all([
    api.get<{ attachments: Attachment[] }>(`/api/v1/cases/${found.id}/attachments`),
    api.get<Access>(`/api/v1/cases/${found.id}/access`, { limit: 20 }),
    Promise.all(found.consents.map((k) => (k.local ? api.get<ConsentStatus>(`/api/v1/consents/${k.id}`) : Promise.resolve(null)))),
  ]);
  const orgs = [...found.consents.flatMap((k) => [k.controller, ...k.processing.flatMap((p) => [...p.recipients, ...p.onwardSharing.to])]), ...found.referrals.map((r) => r.peerOrg), ...statuses.flatMap((s) => s?.notices.map((n) => n.org) ?? [])];
  const names = await orgNames(api, orgs);
  const d = found.data ?? {};
  const p = (d.person ?? {}) as Record<string, any>;
  const risk = (d.riskAssessment ?? null) as { level: string; summary: string; safetyPlan: string; revisedAt: number } | null;
  const name = [p.givenName, p.familyName].filter(Boolean).join(' ');
  const values = form ?? { level: risk?.level ?? '', summary: risk?.summary ?? '', safetyPlan: risk?.safetyPlan ?? '' };
  return render(
    c,
    { title: m.title, section: 'cases', status: error ? 400 : 200 },
    <>
      <h1>
        {m.title} {shortId(found.id)}
      </h1>
      <section aria-labelledby="person">
        <h2 id="person">{m.person}</h2>
        {found.data === null ? (
          <p>{m.purged}</p>
        ) : (
          <Facts
            rows={[
              [m.name, name],
              [m.otherNames, (p.otherNames ?? []).join(', ')],
              [m.dateOfBirth, p.dateOfBirth ? formatDate(lang, p.dateOfBirth) : undefined],
              [m.ageBand, p.ageBand ? term(lang, 'ageBand', p.ageBand) : undefined],
              [m.gender, p.gender ? term(lang, 'gender', p.gender) : undefined],
              [m.nationality, (p.nationality ?? []).join(', ')],
              [m.languages, (p.languages ?? []).join(', ')],
              [m.phone, p.phone],
              [m.email, p.email],
              [m.address, p.address],
              [m.child, p.child === true ? common[lang].yes : undefined],
              [m.guardian, p.guardian ? `${p.guardian.name} (${p.guardian.relation})` : undefined],
            ]}
          />
        )}
      </section>
      <section aria-labelledby="status">
        <h2 id="status">{m.status}</h2>
        <Facts
          rows={[
            [m.state, term(lang, 'caseState', found.state)],
            [m.victimStatus, d.status?.victimStatus ? term(lang, 'victimStatus', d.status.victimStatus) : undefined],
            [m.origin, found.origin === 'received' ? m.originReceived : m.originLocal],
            [m.opened, formatTime(lang, found.createdAt)],
            [m.updated, formatTime(lang, found.updatedAt)],
            [m.needs, (d.needs ?? []).map((n: string) => term(lang, 'need', n)).join(', ')],
            [m.notes, d.notes],
          ]}
        />
      </section>
      <section aria-labelledby="risk">
        <h2 id="risk">{m.risk}</h2>
        {risk ? (
          <Facts rows={[[m.riskLevel, term(lang, 'riskLevel', risk.level)], [m.riskSummary, risk.summary], [m.safetyPlan, risk.safetyPlan], [m.revised, formatTime(lang, risk.revisedAt * 1000)]]} />
        ) : (
          <p>{m.noRisk}</p>
        )}
        {found.state === 'open' && found.data !== null ? (
          <form method="post" action={`/cases/${found.id}/risk`} class="stack">
            <Csrf value={c.get('csrf')} />
            <Problems lang={lang} error={error} labels={{ 'riskAssessment.level': m.riskLevel, 'riskAssessment.summary': m.riskSummary, 'riskAssessment.safetyPlan': m.safetyPlan }} />
            <fieldset>
              <legend>{m.changeRisk}</legend>
              <div>
                <label for="level">{m.riskLevel}</label>
                <select id="level" name="level" required>
                  {RISK_LEVELS.map((l) => (
                    <option value={l} selected={values.level === l}>
                      {term(lang, 'riskLevel', l)}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label for="summary">{m.riskSummary}</label>
                <textarea id="summary" name="summary" rows={3} maxlength={5000}>
                  {values.summary ?? ''}
                </textarea>
              </div>
              <div>
                <label for="safetyPlan">{m.safetyPlan}</label>
                <textarea id="safetyPlan" name="safetyPlan" rows={3} maxlength={5000}>
                  {values.safetyPlan ?? ''}
                </textarea>
              </div>
              <div>
                <button type="submit">{m.saveRisk}</button>
              </div>
            </fieldset>
          </form>
        ) : null}
      </section>
      <section aria-labelledby="consents">
        <h2 id="consents">{m.consents}</h2>
        {found.consents.length === 0 ? <p>{m.noConsents}</p> : null}
        {found.consents.map((k, i) => (
          <ConsentCard c={c} caseId={found.id} consent={k} status={statuses[i] ?? null} names={names} />
        ))}
        {found.state === 'open' && found.data !== null ? (
          <p>
            <a class="button" href={`/cases/${found.id}/consents/new`}>
              {m.recordConsent}
            </a>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="referrals">
        <h2 id="referrals">{m.referrals}</h2>
        {found.referrals.length === 0 ? (
          <p>{m.noReferrals}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{m.referral}</th>
                  <th scope="col">{m.organisation}</th>
                  <th scope="col">{m.state}</th>
                  <th scope="col">{m.contact}</th>
                </tr>
              </thead>
              <tbody>
                {found.referrals.map((r) => (
                  <tr>
                    <td>
                      <a href={`/referrals/${r.id}`}>
                        {r.direction === 'outgoing' ? m.referredTo : m.referredFrom} {shortId(r.id)}
                      </a>
                    </td>
                    <td>{names.get(r.peerOrg) ?? r.peerOrg}</td>
                    <td>
                      <span class="badge">{term(lang, 'referralState', r.state)}</span> {term(lang, 'purpose', r.purpose)}
                    </td>
                    <td>{r.theirContact ? [r.theirContact.name, r.theirContact.role, r.theirContact.phone, r.theirContact.email].filter(Boolean).join(', ') : m.noContactYet}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="documents">
        <h2 id="documents">{m.documents}</h2>
        {attachments.length === 0 ? (
          <p>{m.noDocuments}</p>
        ) : (
          <ul>
            {attachments.map((a) => (
              <li>
                {a.state === 'stored' ? <a href={`/documents/${a.id}`}>{a.name ?? shortId(a.id)}</a> : (a.name ?? shortId(a.id))} ({size(lang, a.size)}){a.state !== 'stored' ? <span class="badge warn">{a.state}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="access">
        <h2 id="access">{m.access}</h2>
        <p class="hint">{fill(m.accessCount, { count: access.total })}</p>
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
              {access.entries.map((e) => (
                <tr>
                  <td>{formatTime(lang, e.at * 1000)}</td>
                  <td>{e.name ?? (e.accountId ? shortId(e.accountId) : m.theNode)}</td>
                  <td>{e.kind === 'case-exported' ? m.exported : m.viewed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>,
  );
}

export function mountCase(app: Hono<WebEnv>): void {
  app.get('/cases/:id{[0-9A-HJKMNP-TV-Z]{26}}', (c) => showCase(c, null, null));

  app.post('/cases/:id{[0-9A-HJKMNP-TV-Z]{26}}/risk', async (c) => {
    const body = await c.req.parseBody();
    const form = { level: String(body.level ?? ''), summary: String(body.summary ?? '').trim(), safetyPlan: String(body.safetyPlan ?? '').trim() };
    const api = c.get('api');
    try {
      const { now } = await api.get<{ now: number }>('/api/v1/session');
      await api.patch(`/api/v1/cases/${c.req.param('id')}`, { riskAssessment: { ...form, revisedAt: now } });
      return done(c, 'riskChanged', `/cases/${c.req.param('id')}`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      return showCase(c, form, error);
    }
  });
}
