import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDb } from '../../node/db/client.js';
import { TEST_DATABASE_KEY } from '../helpers/node-db.js';
import { indexOrg, unindexOrg } from '../../node/directory/search-index.js';
import { DirectorySearchQuery, type DirectorySearchInput, searchDirectory } from '../../node/directory/search.js';
import { loadSeedDirectory } from '../../node/directory/seed.js';
import { parseWith } from '../../protocol/index.js';
import { entryFor } from '../helpers/directory-generator.js';

const today = '2026-01-01';
const seed = loadSeedDirectory();
let dir: string;
let h: DbHandle;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-search-'));
  h = openDb(join(dir, 'node.sqlite'), { key: TEST_DATABASE_KEY });
  h.sqlite.transaction(() => {
    for (const o of seed) indexOrg(h.sqlite, entryFor(o.profile, o.org));
  })();
});
afterAll(() => {
  h.close();
  rmSync(dir, { recursive: true, force: true });
});

const search = (q: DirectorySearchInput) => searchDirectory(h.sqlite, q, { today });
const orgs = (q: DirectorySearchInput) => [...new Set(search(q).results.map((r) => r.org))].sort();

describe('directory search over the seed directory', () => {
  it('indexes every service of the seed', () => {
    const services = seed.reduce((n, o) => n + o.profile.services.length, 0);
    expect(search({ perPage: 100 }).total).toBe(services);
  });

  it('legal aid in Vienna, in Serbian, for women: LEFÖ-IBF (through interpretation), not MEN VIA', () => {
    const r = search({ type: 'legal_aid', city: 'Vienna', language: 'sr', served: 'women' });
    expect(r.results.map((x) => x.org)).toEqual(['org:lefoe-ibf']);
    expect(r.results[0]!.why).toEqual(['city: Wien (Vienna)', 'type: legal_aid', 'language: sr (interpretation)', 'served: women']);
    // the same question as free text
    expect(orgs({ q: 'legal aid in Vienna, in Serbian, for women' })).toEqual(['org:lefoe-ibf']);
    expect(orgs({ q: 'Rechtsberatung Beč' })).toEqual(['org:lefoe-ibf', 'org:men-via']);
  });

  it('a shelter for unaccompanied boys in Serbia', () => {
    const r = search({ type: 'shelter', served: 'boys', country: 'RS' });
    expect(r.results.map((x) => x.org)).toEqual(['org:kuca-sigurnosti-demo']);
    expect(r.results[0]!.service.confidential).toBe(true);
    expect(orgs({ q: 'shelter unaccompanied boys Serbia' })).toEqual(['org:kuca-sigurnosti-demo']);
  });

  it('a 24/7 hotline in North Macedonia', () => {
    expect(orgs({ hotline: true, country: 'MK' })).toEqual(['org:open-gate']);
    expect(orgs({ type: 'hotline', hotline: true, country: 'MK' })).toEqual(['org:open-gate']);
    expect(orgs({ q: '24/7 hotline North Macedonia' })).toEqual(['org:open-gate']);
    // MYLA's legal hotline is not 24/7
    expect(orgs({ type: 'hotline', country: 'MK' })).toEqual(['org:myla', 'org:open-gate']);
  });

  it('groups results along the route in route order', () => {
    const route = ['GR', 'MK', 'RS', 'HR', 'SI', 'AT'];
    const r = search({ type: 'legal_aid', route });
    expect(r.groups!.map((g) => g.country)).toEqual(route);
    const byCountry = Object.fromEntries(r.groups!.map((g) => [g.country, [...new Set(g.results.map((x) => x.org))].sort()]));
    expect(byCountry).toEqual({ GR: [], MK: ['org:myla'], RS: ['org:astra'], HR: [], SI: ['org:ljubljana-partner-demo'], AT: ['org:lefoe-ibf', 'org:men-via'] });
    expect(r.total).toBe(r.groups!.reduce((n, g) => n + g.total, 0));
    expect(r.results.map((x) => x.service.country)).toEqual(r.groups!.flatMap((g) => g.results.map(() => g.country)));
    expect(r.results[0]!.why[0]).toBe('route: MK');
  });

  it('finds Belgrade organisations by any name of the city, and diacritics do not matter', () => {
    for (const q of ['Beograd', 'Belgrade', 'Београд', 'beograd']) expect(orgs({ q }), q).toEqual(['org:astra', 'org:atina', 'org:kuca-sigurnosti-demo']);
    expect(orgs({ city: 'Belgrade', type: 'shelter' })).toEqual(['org:atina', 'org:kuca-sigurnosti-demo']);
    expect(orgs({ q: 'Скопје' })).toEqual(orgs({ q: 'Skopje' }));
    expect(orgs({ q: 'Skopje' })).toContain('org:open-gate');
    expect(orgs({ q: 'Tirana' })).toEqual(['org:tirana-legal-aid']);
    expect(orgs({ q: 'Solun' })).toEqual(['org:thessaloniki-partner-demo']);
  });

  it('"lefo" and "lefoe" find LEFÖ-IBF, and why says so', () => {
    const r = search({ q: 'lefo' });
    expect(new Set(r.results.map((x) => x.org))).toEqual(new Set(['org:lefoe-ibf']));
    expect(r.results[0]!.why).toEqual(['text: lefo → LEFÖ-IBF']);
    expect(orgs({ q: 'LEFOE' })).toEqual(['org:lefoe-ibf']);
    expect(r.results[0]!.score).toBeGreaterThan(0);
  });

  it('ranks a match in the name above one in the description', () => {
    const r = search({ q: 'reintegration' });
    const first = r.results[0]!;
    expect(first.service.name.toLowerCase()).toContain('reintegration');
    expect(r.results.at(-1)!.score).toBeLessThanOrEqual(first.score);
  });

  it('the licensed filter keeps licences valid today only', () => {
    // ASTRA valid to 2028, the boys' shelter to 2027, LEFÖ-IBF to 2027; Atina's ended 2024-12-31;
    // the Greek demo shelter's is suspended
    expect(orgs({ licensed: true })).toEqual(['org:astra', 'org:kuca-sigurnosti-demo', 'org:lefoe-ibf']);
    expect(searchDirectory(h.sqlite, { licensed: true, country: 'RS' }, { today: '2024-12-31' }).results.map((r) => r.org).sort()).toEqual(['org:astra', 'org:atina', 'org:kuca-sigurnosti-demo']);
    expect(searchDirectory(h.sqlite, { licensed: true }, { today: '2028-07-01' }).total).toBe(0);
    expect(search({ licensed: true }).results.every((r) => r.why.some((w) => w.startsWith('licensed: valid until')))).toBe(true);
  });

  it('ranks licensed services and 24/7 hotlines first when nothing else decides', () => {
    const r = search({ country: 'MK', perPage: 100 });
    expect(r.results[0]!.service.hotline24h).toBe(true);
    const rs = search({ country: 'RS', perPage: 100 });
    expect(rs.results[0]!.service.licence?.validUntil! >= today).toBe(true);
  });

  it('paginates: pages are disjoint, ordered and cover the total', () => {
    const all = search({ perPage: 100 });
    const pages = [1, 2, 3, 4].map((page) => search({ page, perPage: 8 }));
    expect(pages.every((p) => p.total === all.total)).toBe(true);
    const ids = pages.flatMap((p) => p.results.map((r) => r.service.id));
    expect(ids).toEqual(all.results.map((r) => r.service.id));
    expect(new Set(ids).size).toBe(all.total);
    expect(search({ page: 99, perPage: 10 }).results).toEqual([]);
  });

  it('never returns an address of a confidential location', () => {
    const r = search({ perPage: 100 });
    const text = JSON.stringify(r);
    expect(text).not.toContain('address_1');
    expect(text).not.toContain('Demo address');
    const shelters = r.results.filter((x) => x.service.confidential);
    expect(shelters.length).toBeGreaterThanOrEqual(6);
    for (const s of shelters) expect(Object.keys(s.service).sort()).not.toContain('addresses');
    // and nothing from an address is searchable either
    expect(search({ q: 'Demo address' }).total).toBe(0);
  });

  it('rejects a bad query with the field path and without echoing the value', () => {
    const bad = (input: unknown) => {
      const r = parseWith(DirectorySearchQuery, input);
      expect(r.ok).toBe(false);
      const issues = r.ok ? [] : r.issues ?? [];
      expect(JSON.stringify(issues)).not.toContain('SECRET');
      return issues.map((i) => i.path);
    };
    expect(bad({ country: 'Serbia-SECRET' })).toEqual(['country']);
    expect(bad({ perPage: 1000 })).toEqual(['perPage']);
    expect(bad({ page: 0 })).toEqual(['page']);
    expect(bad({ type: 'SECRET' })).toEqual(['type']);
    expect(bad({ route: ['RS', 'SECRET'] })).toEqual(['route[1]']);
    expect(bad({ SECRET: 1 })).toEqual(['(root)']);
    expect(() => search({ perPage: 1000 })).toThrow();
  });

  it('free text that is only syntax or stop words finds everything, never an FTS error', () => {
    for (const q of ['"', 'AND OR NOT', '*', 'name:', '{facets}: crs', 'in the for', '(((', 'NEAR(a b)']) {
      expect(() => search({ q }), q).not.toThrow();
    }
    expect(search({ q: 'crs' }).total).toBe(0);
    expect(search({ q: 'in for the' }).total).toBe(search({}).total);
  });
});

describe('reindexing', () => {
  it('replaces the rows of an organisation, and unindexing removes them', () => {
    const lefoe = seed.find((o) => o.org === 'org:lefoe-ibf')!;
    const changed = structuredClone(lefoe.profile);
    changed.services = [{ ...changed.services[0]!, name: 'Neue Beratungsstelle Graz' }];
    h.sqlite.transaction(() => indexOrg(h.sqlite, entryFor(changed, lefoe.org, 2)))();
    expect(orgs({ q: 'Beratungsstelle' })).toEqual(['org:lefoe-ibf']);
    expect(search({ q: 'Notwohnung lefo' }).total).toBe(0);
    expect(search({ q: 'lefo' }).total).toBe(1);
    h.sqlite.transaction(() => unindexOrg(h.sqlite, lefoe.org))();
    expect(search({ q: 'lefo' }).total).toBe(0);
    h.sqlite.transaction(() => indexOrg(h.sqlite, entryFor(lefoe.profile, lefoe.org, 3)))();
    expect(search({ q: 'lefo' }).total).toBe(2);
    expect(h.sqlite.prepare('SELECT count(*) FROM directory_service WHERE org = ?').pluck().get(lefoe.org)).toBe(2);
  });

  it('indexes what parses of odd content and never throws', () => {
    const odd = {
      id: 'x', name: 'Odd Org', description: 'odd', corridor: { country: 'RS' },
      services: [
        null, 7, { id: 'no-name' }, { id: 's1', name: 'Odd service', status: 'active', corridor: { types: 'shelter', served: [1, 'women'], areas: 'x', licence: { validUntil: 5 } }, languages: [null, { code: 'SR' }, { code: 'sr' }], service_at_locations: [null, { location: { corridor: { confidential: 'yes' }, addresses: [null, { city: 5 }] } }] },
      ],
    };
    expect(() => h.sqlite.transaction(() => indexOrg(h.sqlite, entryFor(odd as never, 'org:odd')))()).not.toThrow();
    const r = search({ q: 'odd service' });
    expect(r.results.map((x) => x.service)).toEqual([{ id: 's1', name: 'Odd service', types: [], served: ['women'], languages: ['sr'], interpretation: [], hotline24h: false, confidential: false, country: 'RS' }]);
    h.sqlite.transaction(() => unindexOrg(h.sqlite, 'org:odd'))();
  });
});
