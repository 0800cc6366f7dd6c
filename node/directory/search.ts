import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { CountryCode, IsoDate, LanguageCode, ServedGroup, ServiceType } from '../../protocol/index.js';
import { cityKey } from './gazetteer.js';
import type { ServiceCard } from './search-index.js';
import { HOTLINE_TOKEN, facetToken, licensedExpression, queryWords } from './search-text.js';
import { explain } from './search-why.js';

/**
 * Offline search over the installed directory (DESIGN.md §5): filters by country, city, service
 * type, language, who is served, licence and 24/7 hotline, free text, and "along the route".
 *
 * Everything is one FTS5 expression: the free text over the text columns, the filters as tokens
 * of the `facets` column (see search-index.ts). Ranking is bm25 with name and organisation name
 * weighted above description, then licensed today, 24/7 hotline, name.
 *
 * Performance guard: bm25 costs per matching row, and a very common word matches every service
 * (ranking 100,000 rows takes ~46 ms). The matches are counted first (cheap: a doclist walk); up
 * to RANKED of them are ranked in full; beyond that only the first RANKED matches (by rowid) are
 * ranked and the rest follow in rowid order, so a page stays stable and costs the same whatever
 * the query. A query that specific enough to be useful stays under the cap and is ranked exactly.
 */

export const DirectorySearchQuery = z.strictObject({
  q: z.string().max(200).optional(),
  country: CountryCode.optional(),
  city: z.string().min(1).max(100).optional(),
  type: ServiceType.optional(),
  language: LanguageCode.optional(),
  served: ServedGroup.optional(),
  /** only services whose licence is valid today */
  licensed: z.boolean().optional(),
  /** only 24/7 hotlines */
  hotline: z.boolean().optional(),
  /** countries in route order: results are grouped by country in this order */
  route: z.array(CountryCode).min(1).max(12).optional(),
  page: z.number().int().min(1).max(10_000).default(1),
  perPage: z.number().int().min(1).max(100).default(20),
});
export type DirectorySearchQuery = z.output<typeof DirectorySearchQuery>;
export type DirectorySearchInput = z.input<typeof DirectorySearchQuery>;

export interface DirectorySearchHit {
  org: string;
  orgName: string;
  service: ServiceCard;
  demo: boolean;
  /** higher is better; 0 when there is no free text */
  score: number;
  why: string[];
}
export interface DirectorySearchGroup {
  country: string;
  total: number;
  more?: boolean;
  results: DirectorySearchHit[];
}
export interface DirectorySearchResult {
  /** exact up to COUNTED; above it `more` is true and `total` is COUNTED */
  total: number;
  more?: boolean;
  page: number;
  perPage: number;
  results: DirectorySearchHit[];
  groups?: DirectorySearchGroup[];
}

/** How many matches are ranked (see the guard above). */
export const RANKED = 1000;
/** Counting stops here: a very common word says "more than 2,000" rather than counting 100,000 rows. */
export const COUNTED = 2000;
const BM25 = 'bm25(directory_service_fts, 10.0, 8.0, 1.0, 3.0, 4.0, 0.0)';
const ROW = 's.rowid AS rowid, s.org AS org, s.orgName AS orgName, s.card AS card, s.demo AS demo';
const TIE = `(s.licenceStatus = 'valid' AND s.licenceValidUntil >= @today) DESC, s.hotline24h DESC, s.sortKey, s.rowid`;

interface Row {
  rowid: number;
  org: string;
  orgName: string;
  card: string;
  demo: number;
  score: number;
}
interface Statements {
  count: Database.Statement<[string], number>;
  ranked: Database.Statement<[Record<string, unknown>], Row>;
  unranked: Database.Statement<[Record<string, unknown>], Row>;
  countAll: Database.Statement<[], number>;
  all: Database.Statement<[Record<string, unknown>], Row>;
  allRest: Database.Statement<[Record<string, unknown>], Row>;
}
const cache = new WeakMap<Database.Database, Statements>();

function statements(sqlite: Database.Database): Statements {
  let s = cache.get(sqlite);
  if (s) return s;
  const match = (score: string, limit: string) =>
    `SELECT ${ROW}, m.score AS score FROM (SELECT rowid, ${score} AS score FROM directory_service_fts WHERE directory_service_fts MATCH @match ${limit}) m
     JOIN directory_service s ON s.rowid = m.rowid`;
  s = {
    count: sqlite
      .prepare<[string], { n: number }>(`SELECT count(*) AS n FROM (SELECT rowid FROM directory_service_fts WHERE directory_service_fts MATCH ? LIMIT ${COUNTED + 1})`)
      .pluck() as unknown as Database.Statement<[string], number>,
    // bm25 is negative, better matches lower; @scored is 0 when there is no free text
    ranked: sqlite.prepare(`${match(`CASE WHEN @scored THEN ${BM25} ELSE 0 END`, 'LIMIT @ranked')} ORDER BY m.score, ${TIE} LIMIT @limit OFFSET @offset`),
    unranked: sqlite.prepare(`${match('0', 'LIMIT @limit OFFSET @offset')} ORDER BY s.rowid`),
    countAll: sqlite.prepare('SELECT count(*) FROM directory_service').pluck() as unknown as Database.Statement<[], number>,
    all: sqlite.prepare(`SELECT ${ROW}, 0 AS score FROM (SELECT rowid FROM directory_service ORDER BY rowid LIMIT @ranked) m JOIN directory_service s ON s.rowid = m.rowid ORDER BY ${TIE} LIMIT @limit OFFSET @offset`),
    allRest: sqlite.prepare(`SELECT ${ROW}, 0 AS score FROM directory_service s ORDER BY s.rowid LIMIT @limit OFFSET @offset`),
  };
  cache.set(sqlite, s);
  return s;
}

/** The FTS5 expression of a query (null: no condition at all); words are bare tokens, never syntax. */
export function matchExpression(query: DirectorySearchQuery, today: string, country?: string): string | null {
  const parts: string[] = [];
  const words = queryWords(query.q ?? '');
  if (words.length > 0) parts.push(`{name org_name description places types} : (${words.map((w) => `"${w}"`).join(' AND ')})`);
  const facets: string[] = [];
  if (query.country) facets.push(facetToken('country', query.country));
  if (country) facets.push(facetToken('country', country));
  if (query.city) facets.push(facetToken('city', cityKey(query.city)));
  if (query.type) facets.push(facetToken('type', query.type));
  if (query.language) facets.push(facetToken('language', query.language));
  if (query.served) facets.push(facetToken('served', query.served));
  if (query.hotline) facets.push(HOTLINE_TOKEN);
  if (query.licensed) facets.push(licensedExpression(today));
  if (facets.length > 0) parts.push(`{facets} : (${facets.map((f) => (f.startsWith('(') ? f : `"${f}"`)).join(' AND ')})`);
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/**
 * Searches the local directory index. `input` is what the local route validated with
 * `DirectorySearchQuery` (an invalid one throws here); `today` decides which licences are valid.
 */
export function searchDirectory(sqlite: Database.Database, input: DirectorySearchInput, options: { today: string }): DirectorySearchResult {
  const query = DirectorySearchQuery.parse(input);
  const today = IsoDate.parse(options.today);
  const offset = (query.page - 1) * query.perPage;
  if (!query.route) {
    const { total, rows } = page(sqlite, matchExpression(query, today), Boolean(queryWords(query.q ?? '').length), today, offset, query.perPage);
    return { ...counted(total), page: query.page, perPage: query.perPage, results: rows.map((r) => hit(r, query, today)) };
  }
  const groups: DirectorySearchGroup[] = [];
  for (const country of [...new Set(query.route)]) {
    const { total, rows } = page(sqlite, matchExpression(query, today, country), Boolean(queryWords(query.q ?? '').length), today, offset, query.perPage);
    groups.push({ country, ...counted(total), results: rows.map((r) => hit(r, query, today, country)) });
  }
  const more = groups.some((g) => g.more);
  return { total: groups.reduce((n, g) => n + g.total, 0), ...(more ? { more } : {}), page: query.page, perPage: query.perPage, results: groups.flatMap((g) => g.results), groups };
}

const counted = (total: number): { total: number; more?: boolean } => (total > COUNTED ? { total: COUNTED, more: true } : { total });

/** One page of matches: the ranked window first, then the rest in rowid order. */
function page(sqlite: Database.Database, match: string | null, scored: boolean, today: string, offset: number, limit: number): { total: number; rows: Row[] } {
  const s = statements(sqlite);
  const total = match === null ? s.countAll.get()! : s.count.get(match)!;
  if (total === 0 || offset >= total) return { total, rows: [] };
  const window = Math.min(total, RANKED);
  const rows: Row[] = [];
  if (offset < window) {
    const n = Math.min(limit, window - offset);
    const params = { match, scored: scored ? 1 : 0, ranked: RANKED, today, limit: n, offset };
    rows.push(...(match === null ? s.all.all(params) : s.ranked.all(params)));
  }
  if (rows.length < limit && offset + rows.length >= window && total > window) {
    const params = { match, limit: limit - rows.length, offset: Math.max(offset, window) };
    rows.push(...(match === null ? s.allRest.all(params) : s.unranked.all(params)));
  }
  return { total, rows };
}

function hit(row: Row, query: DirectorySearchQuery, today: string, routeCountry?: string): DirectorySearchHit {
  const service = JSON.parse(row.card) as ServiceCard;
  return {
    org: row.org,
    orgName: row.orgName,
    service,
    demo: row.demo === 1,
    score: row.score === 0 ? 0 : Math.round(-row.score * 1e6) / 1e6,
    why: explain(query, service, row.orgName, today, routeCountry),
  };
}
