import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SigningKey, type TrustedNodeKey, certifyNodeKey, leafHash, newId, sha256, verifyNodeKeyCertificate } from '../../protocol/index.js';
import { createAuditLog } from '../../node/audit/log.js';
import { type AuditVerifyReport, VERIFY_CHUNK, verifyAuditLog } from '../../node/audit/verify.js';
import { manualClock } from '../../node/clock.js';
import { type DbHandle, openDb } from '../../node/db/client.js';
import { TEST_DATABASE_KEY } from '../helpers/node-db.js';
import { T0 } from '../helpers/time.js';

/**
 * `audit verify` reads the log a chunk of seq at a time (node/audit/verify-read.ts). The same
 * log, changed from outside in one way at a time, gives the same report whatever the chunk size:
 * one entry per chunk, chunk boundaries on and beside the change, and the node's own size. Also
 * what sends a chunk through the plain path (a leaf hash that is not 32 bytes, even when the
 * concatenated leaf hashes are unchanged) and rows outside the log (below 0, beyond a gap).
 * A real encrypted node database, the log written by `record` and `checkpoint`.
 */

const ENTRIES = 50;
const CHECKPOINT_EVERY = 10;
const CHUNKS = [1, 3, 8, 16, VERIFY_CHUNK];
const encoder = new TextEncoder();

let dir: string;
let handle: DbHandle;
let trusted: TrustedNodeKey;
const sqlite = () => handle.sqlite;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'corridor-audit-chunks-'));
  handle = openDb(join(dir, 'corridor.db'), { key: TEST_DATABASE_KEY });
  const nodeKey = SigningKey.fromSeed('node', sha256(encoder.encode('audit chunks node')));
  const orgKey = SigningKey.fromSeed('org', sha256(encoder.encode('audit chunks org')));
  const cert = certifyNodeKey(orgKey, 'org:astra', { node: 'node:astra', publicKey: nodeKey.publicKey, notBefore: T0 - 86_400, notAfter: T0 + 86_400 });
  const checked = verifyNodeKeyCertificate(cert, orgKey.publicKey);
  if (!checked.ok) throw new Error('test certificate does not verify');
  trusted = checked.value;
  const clock = manualClock(T0 * 1000);
  const log = createAuditLog({ sqlite: handle.sqlite, clock, self: 'node:astra', nodeKey: () => nodeKey });
  log.checkpoint();
  for (let i = 0; i < ENTRIES; i++) {
    handle.sqlite.transaction(() => log.record({ kind: 'case-viewed', subject: { caseId: newId(T0 * 1000 + i) } }))();
    clock.advance({ seconds: 1 });
    if ((i + 1) % CHECKPOINT_EVERY === 0) log.checkpoint();
  }
});
afterAll(() => {
  handle?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Row = { seq: number; bytes: Buffer; leafHash: Buffer; caseId: string | null };
const row = (seq: number) => sqlite().prepare('SELECT seq, bytes, leafHash, caseId FROM audit_entry WHERE seq = ?').get(seq) as Row;
const put = (r: Row) => sqlite().prepare('INSERT OR REPLACE INTO audit_entry (seq, bytes, leafHash, caseId) VALUES (@seq, @bytes, @leafHash, @caseId)').run(r);
const remove = (seq: number) => sqlite().prepare('DELETE FROM audit_entry WHERE seq = ?').run(seq);
const verifyWith = (chunk: number): AuditVerifyReport => verifyAuditLog(sqlite(), (kid) => (kid === trusted.kid ? trusted : undefined), chunk);
const forge = (r: Row) => Buffer.from(r.bytes.toString('utf8').replace(/"at":(\d+)/, (_m, at: string) => `"at":${Number(at) + 1}`));

/** the log as it was, restored after each test */
let saved: Row[] = [];
beforeAll(() => {
  saved = sqlite().prepare('SELECT seq, bytes, leafHash, caseId FROM audit_entry ORDER BY seq').all() as Row[];
});
afterEach(() => {
  sqlite().prepare('DELETE FROM audit_entry').run();
  for (const r of saved) put(r);
  for (const chunk of CHUNKS) expect(verifyWith(chunk).ok).toBe(true);
});

/** the one report every chunk size gives */
const report = () => {
  const reports = CHUNKS.map(verifyWith);
  for (const r of reports) expect(r).toEqual(reports[0]);
  return reports[0]!;
};

describe('audit verify, chunk by chunk', () => {
  it('an untouched log verifies with every chunk size, every checkpoint checked', () => {
    expect(report()).toEqual({ ok: true, entries: ENTRIES, checkpoints: ENTRIES / CHECKPOINT_EVERY + 1, verifiedUpTo: ENTRIES, problem: null });
  });

  it.each([0, 7, 8, 9, 15, 16, 17, 24, ENTRIES - 1])('a changed entry %i is named, on and beside chunk boundaries', (seq) => {
    const original = row(seq);
    put({ ...original, bytes: forge(original) });
    expect(report().problem).toEqual({ at: 'entry', seq, reason: 'changed' });
  });

  it.each([7, 8, 23, ENTRIES - 1])('a changed entry %i with its leaf hash rewritten: the range since the last good checkpoint', (seq) => {
    const original = row(seq);
    const bytes = forge(original);
    put({ ...original, bytes, leafHash: Buffer.from(leafHash(bytes)) });
    const checkpointAfter = Math.ceil((seq + 1) / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
    expect(report().problem).toEqual({ at: 'checkpoint', size: checkpointAfter, reason: 'root-differs', fromSeq: checkpointAfter - CHECKPOINT_EVERY, seq: checkpointAfter - 1 });
  });

  it.each([0, 8, 16, 31, ENTRIES - 1])('a deleted entry %i is named missing', (seq) => {
    remove(seq);
    expect(report().problem).toEqual({ at: 'entry', seq, reason: 'missing' });
  });

  it('a gap longer than a chunk is named missing at its first entry', () => {
    for (let seq = 8; seq < 30; seq++) remove(seq);
    expect(report().problem).toEqual({ at: 'entry', seq: 8, reason: 'missing' });
  });

  it('a row beyond a gap after the last entry, and a row below 0: the entry where the log stops being whole', () => {
    put({ ...row(ENTRIES - 1), seq: ENTRIES + 40 });
    expect(report().problem).toEqual({ at: 'entry', seq: ENTRIES, reason: 'missing' });
    remove(ENTRIES + 40);
    put({ ...row(3), seq: -1 });
    expect(report().problem).toEqual({ at: 'entry', seq: 0, reason: 'missing' });
  });

  it.each([7, 15, 20])('entries %i and the next swapped are named out of order', (seq) => {
    const a = row(seq);
    const b = row(seq + 1);
    put({ ...b, seq });
    put({ ...a, seq: seq + 1 });
    expect(report().problem).toEqual({ at: 'entry', seq, reason: 'out-of-order' });
  });

  it('a leaf hash cut to 31 bytes is named, also when the next one carries the missing byte (the concatenation unchanged)', () => {
    const a = row(12);
    const b = row(13);
    put({ ...a, leafHash: a.leafHash.subarray(0, 31) });
    expect(report().problem).toEqual({ at: 'entry', seq: 12, reason: 'changed' });
    put({ ...b, leafHash: Buffer.concat([a.leafHash.subarray(31), b.leafHash]) });
    expect(report().problem).toEqual({ at: 'entry', seq: 12, reason: 'changed' });
  });

  it('bytes stored as text are hashed as the same bytes: changed only if they differ', () => {
    const original = row(10);
    sqlite().prepare('UPDATE audit_entry SET bytes = CAST(bytes AS TEXT) WHERE seq = 10').run();
    expect(sqlite().prepare('SELECT typeof(bytes) FROM audit_entry WHERE seq = 10').pluck().get()).toBe('text');
    expect(report().ok).toBe(true);
    // multi-byte characters: a length in characters would misplace every entry after it in the chunk
    sqlite().prepare('UPDATE audit_entry SET bytes = ? WHERE seq = 10').run(original.bytes.toString('utf8').replace('case-viewed', 'case-viewéd'));
    expect(report().problem).toEqual({ at: 'entry', seq: 10, reason: 'changed' });
  });

  it('a checkpoint whose signature fails is named by its size, inside a chunk and on its edge', () => {
    for (const size of [20, 40]) {
      const signed = sqlite().prepare('SELECT signed FROM audit_checkpoint WHERE size = ?').pluck().get(size) as string;
      const parsed = JSON.parse(signed) as { checkpoint: { at: number } };
      sqlite().prepare('UPDATE audit_checkpoint SET signed = ? WHERE size = ?').run(JSON.stringify({ ...parsed, checkpoint: { ...parsed.checkpoint, at: parsed.checkpoint.at + 1 } }), size);
      try {
        expect(report().problem).toEqual({ at: 'checkpoint', size, reason: 'bad-signature' });
      } finally {
        sqlite().prepare('UPDATE audit_checkpoint SET signed = ? WHERE size = ?').run(signed, size);
      }
    }
  });
});
