import type Database from 'better-sqlite3-multiple-ciphers';
import type { DirectoryEntry } from '../../protocol/index.js';
import { LANGUAGE_NAMES, SERVED_WORDS, TYPE_WORDS, cityKey, cityNames, countryNames } from './gazetteer.js';
import { type FacetKind, HOTLINE_TOKEN, facetToken, fold, licenceTokens, umlautVariants } from './search-text.js';

/**
 * Fills the offline search index (node/db/schema/directory-search.ts) from installed directory
 * entries. Synchronous and transaction-free on purpose: the directory store calls `indexOrg` /
 * `unindexOrg` inside the transaction that installs a version, so the index always matches it.
 *
 * A profile is signed content from another organisation: it is read defensively (any field may
 * be missing or of the wrong type) and what cannot be read is left out, never thrown. A
 * confidential location contributes nothing but the fact that the service has one: its city
 * and country come from the service's `corridor.areas` only, and no address is ever stored.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, max = 2000): string | undefined => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined);
const strs = (v: unknown, max = 64): string[] => arr(v).slice(0, max).filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 64);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 150 ? v : null);
const COUNTRY = /^[A-Z]{2}$/;
const LANGUAGE = /^[a-z]{2,3}$/;

export interface ServiceCard {
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

const foldAll = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, fold(v)]));
const FOLDED_TYPES = foldAll(TYPE_WORDS);
const FOLDED_SERVED = foldAll(SERVED_WORDS);
const FOLDED_LANGUAGES = foldAll(LANGUAGE_NAMES);
const memo = (f: (key: string) => string) => {
  const m = new Map<string, string>();
  return (key: string) => {
    let v = m.get(key);
    if (v === undefined) {
      if (m.size > 10_000) m.clear();
      v = f(key);
      m.set(key, v);
    }
    return v;
  };
};
const foldedCountry = memo((c) => fold(countryNames(c)));
const foldedCity = memo((c) => fold(cityNames(c).join(' ')));

interface Statements {
  selectRows: Database.Statement<[string], { rowid: number }>;
  deleteFts: Database.Statement<[number]>;
  deleteService: Database.Statement<[string]>;
  insertService: Database.Statement<unknown[]>;
  insertFts: Database.Statement<unknown[]>;
}
const cache = new WeakMap<Database.Database, Statements>();

function statements(sqlite: Database.Database): Statements {
  let s = cache.get(sqlite);
  if (!s) {
    s = {
      selectRows: sqlite.prepare<[string], { rowid: number }>('SELECT rowid FROM directory_service WHERE org = ?'),
      deleteFts: sqlite.prepare<[number]>('DELETE FROM directory_service_fts WHERE rowid = ?'),
      deleteService: sqlite.prepare<[string]>('DELETE FROM directory_service WHERE org = ?'),
      insertService: sqlite.prepare<unknown[]>(
        `INSERT INTO directory_service (org, serviceId, name, orgName, country, city, minAge, maxAge, hotline24h, licenceStatus,
         licenceValidUntil, confidential, demo, sortKey, card) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFts: sqlite.prepare<unknown[]>('INSERT INTO directory_service_fts (rowid, name, org_name, description, places, types, facets) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    };
    cache.set(sqlite, s);
  }
  return s;
}

/** Removes everything indexed for an organisation. */
export function unindexOrg(sqlite: Database.Database, org: string): void {
  const s = statements(sqlite);
  for (const { rowid } of s.selectRows.all(org)) {
    s.deleteFts.run(rowid);
  }
  s.deleteService.run(org);
}

/** Replaces everything indexed for the entry's organisation with its current services. */
export function indexOrg(sqlite: Database.Database, entry: DirectoryEntry): void {
  indexOrgs(sqlite, [entry]);
}

/**
 * Replaces the rows of several organisations: all removals first, then all inserts. FTS5 flushes
 * its pending inserts at every delete of an older row, so alternating the two (one organisation
 * after another) writes a segment per organisation and runs 2-3 times slower on a full refresh.
 */
export function indexOrgs(sqlite: Database.Database, entries: readonly DirectoryEntry[]): void {
  for (const entry of entries) unindexOrg(sqlite, entry.org);
  for (const entry of entries) insertOrg(sqlite, entry);
}

/**
 * Merges the FTS index into one segment. Worth it after a large install (a first sync, a full
 * refresh): about 1 s per 100,000 services; queries on a merged index are faster and steadier.
 */
export function optimizeSearchIndex(sqlite: Database.Database): void {
  sqlite.exec("INSERT INTO directory_service_fts (directory_service_fts) VALUES ('optimize')");
}

function insertOrg(sqlite: Database.Database, entry: DirectoryEntry): void {
  const s = statements(sqlite);
  const profile: unknown = entry.profile;
  if (!isObj(profile)) return;
  const orgName = str(profile.name, 200) ?? entry.name;
  const orgCorridor = isObj(profile.corridor) ? profile.corridor : {};
  const orgCountry = typeof orgCorridor.country === 'string' && COUNTRY.test(orgCorridor.country) ? orgCorridor.country : undefined;
  const demo = orgCorridor.demo === true ? 1 : 0;
  const orgText = `${orgName} ${umlautVariants(orgName)} ${str(profile.alternate_name, 200) ?? ''}`;
  const orgLocations = new Map<string, Obj>();
  for (const l of arr(profile.locations).slice(0, 2000)) if (isObj(l) && typeof l.id === 'string') orgLocations.set(l.id, l);

  for (const raw of arr(profile.services).slice(0, 2000)) {
    if (!isObj(raw)) continue;
    const card = serviceCard(raw, orgLocations, orgCountry);
    if (!card) continue;
    const licence = card.licence;
    const info = s.insertService.run(
      entry.org, card.id, card.name, orgName, card.country ?? null, card.city ?? null, int(raw.minimum_age), int(raw.maximum_age),
      card.hotline24h ? 1 : 0, licence?.status ?? null, licence?.validUntil ?? null, card.confidential ? 1 : 0, demo, fold(card.name), JSON.stringify(card),
    );
    const rowid = Number(info.lastInsertRowid);
    const facets = facetsOf(card, raw);
    const tokens: string[] = [];
    for (const [kind, values] of facets) for (const v of values) tokens.push(facetToken(kind, v));
    if (card.hotline24h) tokens.push(HOTLINE_TOKEN);
    if (licence?.status === 'valid') tokens.push(licenceTokens(licence.validUntil));
    const places: string[] = [];
    for (const c of facets.get('country') ?? []) places.push(foldedCountry(c));
    for (const c of cityNamesOf(raw, card)) places.push(foldedCity(c));
    const types = [
      ...card.types.map((t) => FOLDED_TYPES[t] ?? fold(t)),
      ...card.served.map((g) => FOLDED_SERVED[g] ?? fold(g)),
      ...[...(facets.get('language') ?? [])].map((l) => FOLDED_LANGUAGES[l] ?? l),
      card.hotline24h ? '24/7 24h nonstop non-stop day and night' : '',
    ].join(' ');
    const description = `${str(raw.description, 4000) ?? ''} ${str(raw.alternate_name, 200) ?? ''}`;
    s.insertFts.run(rowid, fold(`${card.name} ${umlautVariants(card.name)}`), fold(orgText), fold(description), places.join(' '), types, tokens.join(' '));
  }
}

/** What a result shows of a service: never an address of a confidential location. */
function serviceCard(raw: Obj, orgLocations: Map<string, Obj>, orgCountry: string | undefined): ServiceCard | undefined {
  const id = str(raw.id, 200);
  const name = str(raw.name, 300);
  if (!id || !name) return undefined;
  const corridor = isObj(raw.corridor) ? raw.corridor : {};
  const types = strs(corridor.types);
  const served = strs(corridor.served);
  const languages = arr(raw.languages)
    .map((l) => (isObj(l) ? l.code : undefined))
    .filter((c): c is string => typeof c === 'string' && LANGUAGE.test(c));
  const interpretation = strs(corridor.interpretation).filter((c) => LANGUAGE.test(c));
  const locs = locationsOf(raw, orgLocations);
  const confidential = locs.some((l) => isObj(l.corridor) && l.corridor.confidential === true);
  const areas = arr(corridor.areas).filter(isObj);
  const firstArea = areas.find((a) => typeof a.country === 'string' && COUNTRY.test(a.country));
  const publicAddress = confidential ? undefined : locs.flatMap((l) => arr(l.addresses)).find(isObj);
  const country = (typeof publicAddress?.country === 'string' && COUNTRY.test(publicAddress.country) ? publicAddress.country : undefined) ?? (firstArea?.country as string | undefined) ?? orgCountry;
  const city = str(publicAddress?.city, 100) ?? str(firstArea?.city, 100);
  const lic = isObj(corridor.licence) ? corridor.licence : undefined;
  const licence = lic && typeof lic.validUntil === 'string' && typeof lic.status === 'string' ? { issuer: str(lic.issuer, 200) ?? '', validUntil: lic.validUntil.slice(0, 10), status: lic.status.slice(0, 20) } : undefined;
  const phones = [...arr(raw.phones), ...locs.flatMap((l) => arr(l.phones))]
    .filter(isObj)
    .map((p) => ({ number: str(p.number, 64), description: str(p.description, 300) }))
    .filter((p): p is { number: string; description: string | undefined } => p.number !== undefined)
    .slice(0, 8)
    .map((p) => (p.description ? { number: p.number, description: p.description } : { number: p.number }));
  const card: ServiceCard = { id, name, types, served, languages: [...new Set(languages)], interpretation: [...new Set(interpretation)], hotline24h: corridor.hotline24h === true, confidential };
  if (licence) card.licence = licence;
  if (country) card.country = country;
  if (city) card.city = city;
  if (phones.length > 0) card.phones = phones;
  const email = str(raw.email, 200);
  const url = str(raw.url, 500);
  if (email) card.email = email;
  if (url) card.url = url;
  return card;
}

/** The service's locations: inline in service_at_locations, or by id among the organisation's. */
function locationsOf(raw: Obj, orgLocations: Map<string, Obj>): Obj[] {
  const out: Obj[] = [];
  for (const sal of arr(raw.service_at_locations).slice(0, 64)) {
    if (!isObj(sal)) continue;
    if (isObj(sal.location)) out.push(sal.location);
    else if (typeof sal.location_id === 'string') {
      const l = orgLocations.get(sal.location_id);
      if (l) out.push(l);
    }
  }
  return out;
}

/** Cities a service works in: its areas, and the addresses of its public locations only. */
function cityNamesOf(raw: Obj, card: ServiceCard): string[] {
  const out = new Set<string>();
  const corridor = isObj(raw.corridor) ? raw.corridor : {};
  for (const a of arr(corridor.areas).slice(0, 64)) if (isObj(a) && typeof a.city === 'string' && a.city.length <= 100) out.add(a.city);
  if (card.city) out.add(card.city);
  return [...out];
}

function facetsOf(card: ServiceCard, raw: Obj): Map<FacetKind, Set<string>> {
  const corridor = isObj(raw.corridor) ? raw.corridor : {};
  const countries = new Set<string>();
  if (card.country) countries.add(card.country);
  for (const a of arr(corridor.areas).slice(0, 64)) if (isObj(a) && typeof a.country === 'string' && COUNTRY.test(a.country)) countries.add(a.country);
  return new Map<FacetKind, Set<string>>([
    ['country', countries],
    ['city', new Set(cityNamesOf(raw, card).map(cityKey))],
    ['type', new Set(card.types)],
    ['served', new Set(card.served)],
    ['language', new Set([...card.languages, ...card.interpretation])],
  ]);
}
