import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCaseKeys } from '../../node/case/case-keys.js';
import { type CaseData, createCases } from '../../node/case/cases.js';
import { openDb } from '../../node/db/client.js';
import { newId } from '../../protocol/index.js';
import { PERSON_CASE } from '../helpers/casework.js';
import { TEST_CASE_KEY_WRAPPING_KEY, TEST_DATABASE_KEY } from '../helpers/node-db.js';
import { compare, round2, round3 } from './measure.js';

/**
 * Per-case keys (ADR 0014 step C) at 10,000 cases in an encrypted node database: listing all of
 * them and one page of 50 (the local API's default) through the cases service, which opens each
 * case's key and data, against the same rows stored as plaintext JSON and read as before per-case
 * keys (the same SELECT, JSON.parse), in interleaved rounds; and the cost of a purge's shred.
 */

const CASES = 10_000;

export function benchCaseKeys(progress: (line: string) => void = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-bench-case-keys-'));
  const sealed = openDb(join(dir, 'sealed.db'), { key: TEST_DATABASE_KEY });
  const plain = openDb(join(dir, 'plain.db'), { key: TEST_DATABASE_KEY });
  try {
    const now = Date.now();
    const keys = createCaseKeys(sealed.sqlite, TEST_CASE_KEY_WRAPPING_KEY, () => now);
    const cases = createCases(sealed.sqlite, keys);
    const data = (i: number): CaseData => ({ ...PERSON_CASE, person: { ...PERSON_CASE.person, givenName: `Marija ${i}` }, notes: `${PERSON_CASE.notes} (${i})` }) as unknown as CaseData;

    const t0 = performance.now();
    sealed.sqlite.transaction(() => {
      for (let i = 0; i < CASES; i++) cases.open(data(i), now + i);
    })();
    const sealedInsertMs = performance.now() - t0;
    const insertPlain = plain.sqlite.prepare(`INSERT INTO case_file (id, subjectRef, state, origin, data, createdAt, updatedAt) VALUES (?, ?, 'open', 'local', ?, ?, ?)`);
    const t1 = performance.now();
    plain.sqlite.transaction(() => {
      for (let i = 0; i < CASES; i++) insertPlain.run(newId(now + i), `ref${i}`, JSON.stringify(data(i)), now + i, now + i);
    })();
    const plainInsertMs = performance.now() - t1;
    progress(`${CASES} cases written: sealed ${Math.round(sealedInsertMs)} ms, plain ${Math.round(plainInsertMs)} ms`);

    const plainList = plain.sqlite.prepare(`SELECT * FROM case_file WHERE state != 'purged' ORDER BY updatedAt DESC LIMIT ? OFFSET ?`);
    const readPlain = (limit: number) => (plainList.all(limit, 0) as { data: string }[]).map((r) => ({ ...r, data: JSON.parse(r.data) as CaseData }));
    let seen = 0;
    const all = compare(
      {
        sealed: () => void (seen = cases.list(CASES, 0).length),
        plain: () => void (seen = readPlain(CASES).length),
      },
      { rounds: 5, ms: 1500 },
    );
    if (seen !== CASES) throw new Error(`listed ${seen} of ${CASES}`);
    const page = compare({ sealed: () => void cases.list(50, 0), plain: () => void readPlain(50) }, { rounds: 7, ms: 300 });

    // a purge's shred: the key row deleted (the rest of the purge is the same as before)
    const ids = (sealed.sqlite.prepare('SELECT id FROM case_file LIMIT 1000').all() as { id: string }[]).map((r) => r.id);
    const t2 = performance.now();
    sealed.sqlite.transaction(() => ids.forEach((id) => keys.shred(id)))();
    const shredUs = ((performance.now() - t2) * 1000) / ids.length;

    const ms = (r: { opsPerSecond: number }) => round2(1000 / r.opsPerSecond);
    return [
      {
        benchmark: 'case-keys-list',
        cases: CASES,
        listAllMs: { sealed: ms(all.sealed!), plain: ms(all.plain!) },
        listPage50Ms: { sealed: round3(1000 / page.sealed!.opsPerSecond), plain: round3(1000 / page.plain!.opsPerSecond) },
        perCaseUs: round2(((1000 / all.sealed!.opsPerSecond - 1000 / all.plain!.opsPerSecond) * 1000) / CASES),
        ratio: { listAll: round3(all.sealed!.opsPerSecond / all.plain!.opsPerSecond), listPage50: round3(page.sealed!.opsPerSecond / page.plain!.opsPerSecond) },
        writeMs: { sealed: Math.round(sealedInsertMs), plain: Math.round(plainInsertMs) },
        shredUsPerCase: round2(shredUs),
        baseline: 'the same rows as plaintext JSON, same SELECT and JSON.parse, same encrypted database',
      },
    ];
  } finally {
    sealed.close();
    plain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
