import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { SERVED_GROUPS, SERVICE_TYPES } from '../../../protocol/index.js';
import { formatDate, formatTime } from '../format.js';
import { directory } from '../i18n/directory.js';
import { type Lang, fill } from '../i18n/languages.js';
import { Problems } from '../layout.js';
import { ApiError } from '../local-api.js';
import { render } from '../render.js';
import type { WebEnv } from '../session.js';
import { term } from '../terms.js';

/**
 * Directory browsing (issue 8): the signed directory held by this node, searched offline by
 * country, city, service, language, who is served and along a route; results as cards with why
 * each matched; an organisation's page with its key fingerprint to read aloud. The search form is
 * a GET (its words are about services, never about a person). The search parts are shared with
 * the referral screen, where each result fills the recipient.
 */

export const SEARCH_KEYS = ['q', 'country', 'city', 'type', 'language', 'served', 'route', 'licensed', 'hotline', 'page'] as const;
export type SearchValues = Partial<Record<(typeof SEARCH_KEYS)[number], string>>;

interface ServiceCard {
  id: string;
  name: string;
  types: string[];
  served: string[];
  languages: string[];
  interpretation: string[];
  hotline24h: boolean;
  licence?: { issuer: string; validUntil: string; status: string };
  country?: string;
  city?: string;
  confidential: boolean;
  phones?: { number: string; description?: string }[];
  email?: string;
  url?: string;
}
export interface SearchHit {
  org: string;
  orgName: string;
  service: ServiceCard;
  demo: boolean;
  why: string[];
}
export interface SearchResult {
  total: number;
  more?: boolean;
  page: number;
  perPage: number;
  results: SearchHit[];
  groups?: { country: string; total: number; results: SearchHit[] }[];
}
interface DirectoryStatus {
  version: number;
  fresh: boolean;
  staleSince: number | null;
  acceptedAt: number | null;
  organisations: number;
  services: number;
  lastSync: { at: number; peer: string | null; outcome: string } | null;
}

/** the search values of a query string or a form: only the known keys, trimmed */
export function searchValues(source: Record<string, unknown>): SearchValues {
  const out: SearchValues = {};
  for (const key of SEARCH_KEYS) {
    const v = source[key];
    if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim();
  }
  return out;
}

/** the directory search through the local API; a refused query comes back as the error to show */
export async function searchDirectory(c: Context<WebEnv>, values: SearchValues, perPage = 10): Promise<{ result: SearchResult | null; error: ApiError | null }> {
  const query: Record<string, string | number | undefined> = { ...values, perPage };
  if (values.licensed !== undefined) query.licensed = values.licensed === 'on' ? 'true' : values.licensed;
  if (values.hotline !== undefined) query.hotline = values.hotline === 'on' ? 'true' : values.hotline;
  try {
    return { result: await c.get('api').get<SearchResult>('/api/v1/directory/search', query), error: null };
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return { result: null, error };
    throw error;
  }
}

/** the search fields (inside a form the caller gives); ids prefixed so they can sit beside another form's */
export function SearchFields(props: { lang: Lang; values: SearchValues; prefix: string }) {
  const m = directory[props.lang];
  const v = props.values;
  const id = (k: string) => `${props.prefix}-${k}`;
  const text = (k: 'q' | 'country' | 'city' | 'language' | 'route', label: string) => (
    <div>
      <label for={id(k)}>{label}</label>
      <input type="text" id={id(k)} name={k} value={v[k] ?? ''} autocomplete="off" />
    </div>
  );
  return (
    <>
      {text('q', m.words)}
      {text('country', m.country)}
      {text('city', m.city)}
      <div>
        <label for={id('type')}>{m.type}</label>
        <select id={id('type')} name="type">
          <option value="">{m.any}</option>
          {SERVICE_TYPES.map((t) => (
            <option value={t} selected={v.type === t}>
              {term(props.lang, 'serviceType', t)}
            </option>
          ))}
        </select>
      </div>
      {text('language', m.language)}
      <div>
        <label for={id('served')}>{m.served}</label>
        <select id={id('served')} name="served">
          <option value="">{m.any}</option>
          {SERVED_GROUPS.map((s) => (
            <option value={s} selected={v.served === s}>
              {term(props.lang, 'served', s)}
            </option>
          ))}
        </select>
      </div>
      {text('route', m.route)}
      <div>
        <input type="checkbox" id={id('licensed')} name="licensed" checked={v.licensed === 'on' || v.licensed === 'true'} />{' '}
        <label for={id('licensed')}>{m.licensed}</label>
      </div>
      <div>
        <input type="checkbox" id={id('hotline')} name="hotline" checked={v.hotline === 'on' || v.hotline === 'true'} />{' '}
        <label for={id('hotline')}>{m.hotline}</label>
      </div>
    </>
  );
}

/** one service as a card: organisation, services, languages, who is served, contact, why it matched */
function Card(props: { lang: Lang; hit: SearchHit; level: 3 | 4 | 5; action?: ((hit: SearchHit) => Child) | undefined }) {
  const m = directory[props.lang];
  const { hit, lang } = props;
  const s = hit.service;
  const Heading = props.level === 3 ? 'h3' : props.level === 4 ? 'h4' : 'h5';
  return (
    <li class="card">
      <Heading>{s.name}</Heading>
      <dl class="facts">
        <dt>{m.organisation}</dt>
        <dd>
          <a href={`/directory/orgs/${encodeURIComponent(hit.org)}`}>{hit.orgName}</a>
          {hit.demo ? <span class="badge warn">{m.demo}</span> : null}
        </dd>
        <dt>{m.services}</dt>
        <dd>{s.types.map((t) => term(lang, 'serviceType', t)).join(', ')}</dd>
        <dt>{m.languages}</dt>
        <dd>
          {s.languages.join(', ')}
          {s.interpretation.length > 0 ? ` (${m.interpretation}: ${s.interpretation.join(', ')})` : ''}
        </dd>
        <dt>{m.whoServed}</dt>
        <dd>{s.served.map((g) => term(lang, 'served', g)).join(', ')}</dd>
        <dt>{m.where}</dt>
        <dd>
          {[s.city, s.country].filter(Boolean).join(', ')}
          {s.confidential ? ` (${m.confidential})` : ''}
        </dd>
        <dt>{m.contact}</dt>
        <dd>
          {[...(s.phones ?? []).map((p) => p.number), s.email, s.url].filter(Boolean).join(' · ')}
          {s.hotline24h ? <span class="badge ok">{m.hotline24}</span> : null}
        </dd>
        {hit.why.length > 0 ? (
          <>
            <dt>{m.why}</dt>
            <dd>{hit.why.join('; ')}</dd>
          </>
        ) : null}
      </dl>
      {props.action ? props.action(hit) : null}
    </li>
  );
}

/** the results: a count, then cards (grouped by country along a route) */
export function Results(props: { lang: Lang; result: SearchResult; level: 2 | 3; action?: (hit: SearchHit) => Child }) {
  const m = directory[props.lang];
  const { result, lang } = props;
  // headings in order: the groups one level below the caller's section, their cards one more
  const Group = props.level === 2 ? 'h3' : 'h4';
  const flat = props.level === 2 ? 3 : 4;
  const grouped = props.level === 2 ? 4 : 5;
  return (
    <>
      <p>{result.total === 0 ? m.noResults : fill(result.more ? m.moreThan : m.resultCount, { count: result.total })}</p>
      {result.groups ? (
        result.groups.map((g) => (
          <section>
            <Group>{fill(m.inCountry, { country: g.country })}</Group>
            <ul class="cards">
              {g.results.map((hit) => (
                <Card lang={lang} hit={hit} level={grouped} action={props.action} />
              ))}
            </ul>
          </section>
        ))
      ) : (
        <ul class="cards">
          {result.results.map((hit) => (
            <Card lang={lang} hit={hit} level={flat} action={props.action} />
          ))}
        </ul>
      )}
    </>
  );
}

export function mountDirectory(app: Hono<WebEnv>): void {
  app.get('/directory', async (c) => {
    const lang = c.get('lang');
    const m = directory[lang];
    const values = searchValues(c.req.query());
    const [status, { result, error }] = await Promise.all([c.get('api').get<DirectoryStatus>('/api/v1/directory'), searchDirectory(c, values, 20)]);
    const page = result?.page ?? 1;
    const pageLink = (n: number) => `/directory?${new URLSearchParams({ ...values, page: String(n) }).toString()}`;
    return render(
      c,
      { title: m.title, section: 'directory', status: error ? 400 : 200 },
      <>
        <h1>{m.title}</h1>
        <p class="hint">{m.intro}</p>
        <dl class="facts">
          <dt>{m.version}</dt>
          <dd>
            {status.version} <span class={status.fresh ? 'badge ok' : 'badge bad'}>{status.fresh ? m.fresh : fill(m.stale, { since: status.staleSince ? formatTime(lang, status.staleSince * 1000) : '' })}</span>
          </dd>
          <dt>{m.accepted}</dt>
          <dd>{status.acceptedAt ? formatTime(lang, status.acceptedAt) : '—'}</dd>
          <dt>{m.synced}</dt>
          <dd>{status.lastSync ? `${formatTime(lang, status.lastSync.at)} (${status.lastSync.peer ?? ''} ${status.lastSync.outcome})` : m.neverSynced}</dd>
          <dt>{m.results}</dt>
          <dd>{fill(m.counts, { organisations: status.organisations, services: status.services })}</dd>
        </dl>
        <section aria-labelledby="dir-search">
          <h2 id="dir-search">{m.search}</h2>
          <Problems lang={lang} error={error} labels={{ q: m.words, country: m.country, city: m.city, type: m.type, language: m.language, served: m.served, route: m.route }} />
          <form method="get" action="/directory" class="stack" role="search" aria-labelledby="dir-search">
            <SearchFields lang={lang} values={values} prefix="dir" />
            <div>
              <button type="submit">{m.searchButton}</button>
            </div>
          </form>
        </section>
        {result ? (
          <section aria-labelledby="dir-results">
            <h2 id="dir-results">{m.results}</h2>
            <Results lang={lang} result={result} level={2} />
            <nav class="pager" aria-label={fill(m.page, { page })}>
              {page > 1 ? <a href={pageLink(page - 1)}>{m.previous}</a> : null}
              <span>{fill(m.page, { page })}</span>
              {page * result.perPage < result.total ? <a href={pageLink(page + 1)}>{m.next}</a> : null}
            </nav>
          </section>
        ) : null}
      </>,
    );
  });

  app.get('/directory/orgs/:org', async (c) => {
    const lang = c.get('lang');
    const m = directory[lang];
    const org = await c.get('api').get<OrgView>(`/api/v1/directory/orgs/${encodeURIComponent(c.req.param('org'))}`);
    const profile = org.profile;
    return render(
      c,
      { title: m.orgTitle, section: 'directory' },
      <>
        <h1>{fill(m.orgPage, { name: org.name })}</h1>
        <dl class="facts">
          <dt>{m.based}</dt>
          <dd>{profile.corridor?.country ?? ''}</dd>
          <dt>{m.description}</dt>
          <dd>{profile.description ?? ''}</dd>
          <dt>{m.fingerprint}</dt>
          <dd>
            <code>{org.orgKey.fingerprint}</code>
          </dd>
          <dt>{m.updated}</dt>
          <dd>{formatDate(lang, org.updated * 1000)}</dd>
          {org.listedBy ? (
            <>
              <dt>{m.listedBy}</dt>
              <dd>{org.listedBy}</dd>
            </>
          ) : null}
        </dl>
        <h2>{m.services}</h2>
        <ul class="cards">
          {(profile.services ?? []).map((s) => (
            <li class="card">
              <h3>{s.name}</h3>
              <dl class="facts">
                <dt>{m.services}</dt>
                <dd>{(s.corridor?.types ?? []).map((t) => term(lang, 'serviceType', t)).join(', ')}</dd>
                <dt>{m.whoServed}</dt>
                <dd>{(s.corridor?.served ?? []).map((g) => term(lang, 'served', g)).join(', ')}</dd>
                <dt>{m.languages}</dt>
                <dd>{(s.languages ?? []).map((l) => l.code).join(', ')}</dd>
              </dl>
            </li>
          ))}
        </ul>
        <h2>{m.nodes}</h2>
        <ul>
          {org.nodes.map((n) => (
            <li>
              {n.node} ({n.url}): {m.keys}{' '}
              {n.keys.map((k) => (k.revokedAt !== undefined ? `${k.kid} ${m.revoked}` : `${k.kid} ${fill(m.keyValid, { from: formatDate(lang, k.notBefore * 1000), to: formatDate(lang, k.notAfter * 1000) })}`)).join('; ')}
            </li>
          ))}
        </ul>
      </>,
    );
  });
}

interface OrgView {
  org: string;
  name: string;
  updated: number;
  listedBy: string | null;
  orgKey: { kid: string; fingerprint: string };
  nodes: { node: string; url: string; keys: { kid: string; notBefore: number; notAfter: number; revokedAt?: number }[] }[];
  profile: {
    description?: string;
    corridor?: { country?: string };
    services?: { name: string; languages?: { code: string }[]; corridor?: { types?: string[]; served?: string[] } }[];
  };
}
