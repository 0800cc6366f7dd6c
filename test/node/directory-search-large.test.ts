import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDb } from '../../node/db/client.js';
import { TEST_DATABASE_KEY } from '../helpers/node-db.js';
import { indexOrg } from '../../node/directory/search-index.js';
import { COUNTED, RANKED, searchDirectory } from '../../node/directory/search.js';
import type { OrgProfile } from '../../protocol/index.js';
import { entryFor, generateDirectory } from '../helpers/directory-generator.js';

/** Search stays correct on 100,000 synthetic services (timing belongs to the benchmark). */

const today = '2026-01-01';
let dir: string;
let h: DbHandle;
let orgs: OrgProfile[];

interface Flat {
  org: string;
  countries: Set<string>;
  types: string[];
  served: string[];
  languages: Set<string>;
  licensed: boolean;
  hotline: boolean;
}
let flat: Flat[];

beforeAll(() => {
  orgs = generateDirectory({ organisations: 5000, servicesPerOrg: 20, seed: 42 });
  dir = mkdtempSync(join(tmpdir(), 'corridor-search-large-'));
  h = openDb(join(dir, 'node.sqlite'), { key: TEST_DATABASE_KEY });
  const start = performance.now();
  h.sqlite.transaction(() => orgs.forEach((p, i) => indexOrg(h.sqlite, entryFor(p, `org:gen-${i}`))))();
  process.stderr.write(`indexed 100,000 services in ${Math.round(performance.now() - start)} ms\n`);
  flat = orgs.flatMap((p, i) =>
    p.services.map((s) => {
      const c = s.corridor;
      const languages = new Set([...((s.languages as { code: string }[] | undefined) ?? []).map((l) => l.code), ...(c.interpretation ?? [])]);
      return {
        org: `org:gen-${i}`,
        countries: new Set([p.corridor.country, ...(c.areas ?? []).map((a) => a.country)]),
        types: c.types,
        served: c.served,
        languages,
        licensed: c.licence?.status === 'valid' && c.licence.validUntil >= today,
        hotline: c.hotline24h === true,
      };
    }),
  );
}, 120_000);
afterAll(() => {
  h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('directory search on 100,000 synthetic services', () => {
  it('filters agree with a brute-force count over the generated profiles', () => {
    const cases = [
      { country: 'RS', type: 'legal_aid', language: 'en', served: 'women' },
      { country: 'AT', type: 'shelter' },
      { language: 'fa', served: 'unaccompanied_minors' },
      { country: 'MK', hotline: true },
      { country: 'GR', licensed: true },
    ] as const;
    for (const q of cases) {
      const expected = flat.filter(
        (f) =>
          (!('country' in q) || f.countries.has(q.country)) &&
          (!('type' in q) || f.types.includes(q.type)) &&
          (!('language' in q) || f.languages.has(q.language)) &&
          (!('served' in q) || f.served.includes(q.served)) &&
          (!('hotline' in q) || f.hotline) &&
          (!('licensed' in q) || f.licensed),
      ).length;
      const start = performance.now();
      const r = searchDirectory(h.sqlite, q, { today });
      process.stderr.write(`${JSON.stringify(q)}: ${r.total} in ${(performance.now() - start).toFixed(1)} ms\n`);
      // exact up to COUNTED; above it the answer says "more than" instead of counting every row
      expect(r.total, JSON.stringify(q)).toBe(Math.min(expected, COUNTED));
      expect(r.more === true, JSON.stringify(q)).toBe(expected > COUNTED);
      expect(r.results.length).toBe(Math.min(20, expected));
      for (const x of r.results) {
        if ('type' in q) expect(x.service.types).toContain(q.type);
        if ('served' in q) expect(x.service.served).toContain(q.served);
      }
    }
  });

  it('a word in every description says "more than", and pages stably past the ranked window', () => {
    const start = performance.now();
    const r = searchDirectory(h.sqlite, { q: 'victims' }, { today });
    process.stderr.write(`"victims": ${r.total} in ${(performance.now() - start).toFixed(1)} ms\n`);
    expect(r).toMatchObject({ total: COUNTED, more: true });
    expect(r.results).toHaveLength(20);
    const perPage = 100;
    const lastRankedPage = RANKED / perPage;
    const a = searchDirectory(h.sqlite, { q: 'victims', page: lastRankedPage, perPage }, { today });
    const b = searchDirectory(h.sqlite, { q: 'victims', page: lastRankedPage + 1, perPage }, { today });
    expect(a.results).toHaveLength(perPage);
    expect(b.results).toHaveLength(perPage);
    const ids = new Set([...a.results, ...b.results].map((x) => `${x.org}/${x.service.id}`));
    expect(ids.size).toBe(2 * perPage);
    const last = searchDirectory(h.sqlite, { q: 'victims', page: COUNTED / perPage, perPage }, { today });
    expect(last.results).toHaveLength(perPage);
  });

  it('free text with diacritics, exonyms and filters together', () => {
    const wien = searchDirectory(h.sqlite, { q: 'Beč', type: 'legal_aid' }, { today });
    expect(wien.total).toBeGreaterThan(0);
    for (const x of wien.results) {
      expect(x.service.types).toContain('legal_aid');
      expect(x.why.some((w) => w.startsWith('text: bec →'))).toBe(true);
    }
    const cacak = searchDirectory(h.sqlite, { q: 'cacak' }, { today });
    expect(cacak.total).toBeGreaterThan(0);
    expect(cacak.results.every((x) => JSON.stringify(x).includes('Čačak'))).toBe(true);
    const route = searchDirectory(h.sqlite, { type: 'shelter', served: 'boys', route: ['GR', 'MK', 'RS', 'HR', 'SI', 'AT'] }, { today });
    expect(route.groups!.map((g) => g.country)).toEqual(['GR', 'MK', 'RS', 'HR', 'SI', 'AT']);
    for (const g of route.groups!) for (const x of g.results) expect(x.why[0]).toBe(`route: ${g.country}`);
    expect(JSON.stringify(route)).not.toContain('Ulica');
  });
});
