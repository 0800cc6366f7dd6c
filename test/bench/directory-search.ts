import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../node/db/client.js';
import { TEST_DATABASE_KEY } from '../helpers/node-db.js';
import { indexOrg, indexOrgs, optimizeSearchIndex } from '../../node/directory/search-index.js';
import { type DirectorySearchInput, searchDirectory } from '../../node/directory/search.js';
import { queryWords } from '../../node/directory/search-text.js';
import { entryFor, generateDirectory } from '../helpers/directory-generator.js';
import type { BenchLine } from './envelope.js';
import { round2, round3 } from './measure.js';

/**
 * Offline directory search on 100,000 services in 5,000 organisations (DESIGN.md §5): index build
 * rate, filtered search (country + type + language + served) and free-text search latency (p50,
 * p99 over interleaved rounds), against the floor of a bare FTS5 query ranked by bm25 on the same
 * index (`ORDER BY rank LIMIT 20`). ratio = floor / ours: above 1 means faster than the bare query
 * (the guard ranks at most RANKED matches; the bare query ranks every match).
 */

const FILTERED: DirectorySearchInput[] = [
  { country: 'RS', type: 'legal_aid', language: 'en', served: 'women' },
  { country: 'AT', type: 'shelter', language: 'de', served: 'girls' },
  { country: 'MK', type: 'outreach', language: 'sq', served: 'men' },
  { country: 'GR', type: 'psychosocial', language: 'fa', served: 'families' },
  { country: 'BA', type: 'child_protection', language: 'bs', served: 'unaccompanied_minors' },
  { country: 'HR', type: 'medical', language: 'en', served: 'boys' },
  { country: 'SI', type: 'hotline', language: 'sl', served: 'women' },
  { country: 'AL', type: 'return_reintegration', language: 'sq', served: 'lgbtqi' },
];
/** `victims` and `support` are in (nearly) every description: the worst case for ranking. */
const COMMON = ['victims', 'support for victims of trafficking'];
const TEXT = [...COMMON, 'Beograd', 'legal aid in Vienna', 'Čačak', 'Shpresa', 'sigurna kuća', 'Скопје', 'psychologist lawyer', 'Ženska mreža'];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}
const stats = (xs: number[]) => ({ p50_ms: round2(percentile(xs, 50)), p99_ms: round2(percentile(xs, 99)), samples: xs.length });

export function benchDirectorySearch(options: { organisations?: number; servicesPerOrg?: number; rounds?: number } = {}): BenchLine[] {
  const organisations = options.organisations ?? 5000;
  const servicesPerOrg = options.servicesPerOrg ?? 20;
  const rounds = options.rounds ?? 12;
  const services = organisations * servicesPerOrg;
  const today = '2026-01-01';
  const profiles = generateDirectory({ organisations, servicesPerOrg, seed: 20_260_101, today });
  const entries = profiles.map((p, i) => entryFor(p, `org:bench-${i}`));
  const dir = mkdtempSync(join(tmpdir(), 'corridor-bench-search-'));
  const handle = openDb(join(dir, 'node.sqlite'), { key: TEST_DATABASE_KEY });
  try {
    const { sqlite } = handle;
    const buildMs = time(() => sqlite.transaction(() => entries.forEach((e) => indexOrg(sqlite, e)))());
    // a full directory refresh replaces every organisation's rows in one batch, then merges
    const rebuildMs = time(() => sqlite.transaction(() => indexOrgs(sqlite, entries))());
    const optimizeMs = time(() => optimizeSearchIndex(sqlite));

    const raw = sqlite.prepare('SELECT rowid FROM directory_service_fts WHERE directory_service_fts MATCH ? ORDER BY rank LIMIT 20');
    const search = (q: DirectorySearchInput) => searchDirectory(sqlite, q, { today });
    const filtered: number[] = [];
    const text: number[] = [];
    const common: number[] = [];
    const floor: number[] = [];
    const floorCommon: number[] = [];
    for (const q of [...FILTERED, ...TEXT.map((t) => ({ q: t }))]) search(q); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const q of FILTERED) filtered.push(time(() => search(q)));
      for (const t of TEXT) {
        const words = queryWords(t).map((w) => `"${w}"`).join(' ');
        const ours = time(() => search({ q: t }));
        const bare = time(() => raw.all(words));
        text.push(ours);
        floor.push(bare);
        if (COMMON.includes(t)) {
          common.push(ours);
          floorCommon.push(bare);
        }
      }
    }
    const totals = Object.fromEntries(TEXT.map((t) => [t, search({ q: t }).total]));
    return [
      {
        bench: 'directory-index-build',
        services,
        organisations,
        services_per_s: round2(services / (buildMs / 1000)),
        reindex_services_per_s: round2(services / (rebuildMs / 1000)),
        build_ms: round2(buildMs),
        optimize_ms: round2(optimizeMs),
        statistic: 'one build (indexOrg per organisation) and one refresh (indexOrgs), each in one transaction',
      },
      {
        bench: 'directory-search-filtered',
        services,
        query: 'country + type + language + served',
        ours: stats(filtered),
        target_p99_ms: 10,
        statistic: `percentiles over ${rounds} rounds of ${FILTERED.length} queries`,
      },
      {
        bench: 'directory-search-text',
        services,
        ours: stats(text),
        ours_common_term: stats(common),
        floor_fts5_rank: stats(floor),
        floor_common_term: stats(floorCommon),
        baseline: 'bare FTS5 MATCH ORDER BY rank LIMIT 20 on the same index',
        ratio: round3(percentile(floor, 50) / percentile(text, 50)),
        ratio_common_term: round3(percentile(floorCommon, 50) / percentile(common, 50)),
        target_p99_ms: 30,
        matches: totals,
        statistic: `percentiles over ${rounds} interleaved rounds (ours, floor) of ${TEXT.length} queries`,
      },
    ];
  } finally {
    handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
