import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, MerkleAccumulator, canonicalBytes, leafHash, sha256, toBase64Url, verifyCheckpoint } from '../../protocol/index.js';
import { PERSON_CASE, consentFor } from '../helpers/casework.js';
import { packFrontier } from '../../node/audit/log.js';
import { runCli } from '../helpers/cli-io.js';
import { openNodeDatabase } from '../helpers/node-db.js';
import { type TestNetwork, startNetwork } from '../helpers/network.js';

/**
 * The audit log in real nodes: what each event writes, and `POST /api/v1/audit/verify` against a
 * database changed from outside (one row, one checkpoint at a time, at several positions).
 */

let net: TestNetwork;
let db: Database.Database;

const ctxOf = (name: string) => net.nodes[name]!.node.ctx;
const api = async (name: string, method: string, path: string, body?: unknown) => {
  const n = net.nodes[name]!;
  const res = await fetch(`${n.url}${path}`, { method, headers: { authorization: `Bearer ${n.token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const entries = (name: string) =>
  (ctxOf(name).handle.sqlite.prepare('SELECT seq, bytes FROM audit_entry ORDER BY seq').all() as { seq: number; bytes: Buffer }[]).map((r) => JSON.parse(r.bytes.toString('utf8')) as AuditEntry);
const verify = async () => (await api('open-gate', 'POST', '/api/v1/audit/verify', {})).json as { ok: boolean; entries: number; problem: Record<string, unknown> | null };

beforeAll(async () => {
  net = await startNetwork(['open-gate', 'astra']);
  // a log with several checkpoints: messages both ways, a checkpoint after each round
  for (let round = 0; round < 4; round++) {
    net.send('open-gate', 'astra');
    net.send('astra', 'open-gate');
    await net.drain();
    ctxOf('open-gate').audit.checkpoint();
  }
  db = openNodeDatabase(join(net.nodes['open-gate']!.dataDir, 'corridor.db'));
});
afterAll(async () => {
  db?.close();
  await net?.close();
});

describe('what the node records', () => {
  it('a message sent: queued, sent, delivered with the receipt hash, acknowledged; every entry ids and hashes only', async () => {
    const id = net.send('open-gate', 'astra');
    await net.drain();
    const about = entries('open-gate').filter((e) => e.subject.messageId === id);
    expect(about.map((e) => e.kind)).toEqual(['message-queued', 'message-sent', 'message-delivered', 'message-acknowledged']);
    const receipt = ctxOf('open-gate').outbox.receipt(id)!;
    expect(about[2]!.hashes?.receipt).toBe(toBase64Url(sha256(canonicalBytes(JSON.parse(receipt)))));
    expect(about.every((e) => e.actor === 'node:open-gate' && e.subject.node === 'node:astra')).toBe(true);
    // every stored entry is a valid entry (strict schema: no field can hold free text) at its seq
    const all = entries('open-gate');
    all.forEach((e, i) => {
      expect(AuditEntry.safeParse(e).success).toBe(true);
      expect(e.seq).toBe(i);
    });
    expect(all.some((e) => e.kind === 'key-rotated')).toBe(true);
  });

  it('a case viewed over the local API is recorded with the actor of the request', async () => {
    const created = await api('open-gate', 'POST', '/api/v1/cases', PERSON_CASE);
    expect(created.status).toBe(201);
    const caseId = created.json.id as string;
    const me = await api('open-gate', 'GET', '/api/v1/session');
    const accountId = (me.json.account as { id: string }).id;
    expect(accountId).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    const before = ctxOf('open-gate').audit.size();
    expect((await api('open-gate', 'GET', `/api/v1/cases/${caseId}`)).status).toBe(200);
    const last = entries('open-gate').slice(before);
    // the signed-in person, by an opaque id: never a login name
    expect(last).toEqual([expect.objectContaining({ kind: 'case-viewed', actor: `account:${accountId}`, subject: { caseId } })]);
    // a consent recorded: consent-given with the record's hash; withdrawn: consent-withdrawn
    const consent = await api('open-gate', 'POST', `/api/v1/cases/${caseId}/consents`, consentFor(Math.floor(net.clock.now() / 1000), { recipients: ['org:astra'], fields: ['/person/gender'] }));
    expect(consent.status).toBe(201);
    const consentId = consent.json.id as string;
    expect((await api('open-gate', 'POST', `/api/v1/consents/${consentId}/withdraw`, { by: 'data-subject' })).status).toBe(200);
    const aboutConsent = entries('open-gate').filter((e) => e.subject.consentId === consentId);
    expect(aboutConsent.map((e) => e.kind)).toEqual(['consent-given', 'consent-withdrawn']);
    expect(aboutConsent.every((e) => e.subject.caseId === caseId && e.hashes?.consent !== undefined)).toBe(true);
    // an unknown case: 404 and nothing recorded
    const size = ctxOf('open-gate').audit.size();
    expect((await api('open-gate', 'GET', '/api/v1/cases/01JAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect(ctxOf('open-gate').audit.size()).toBe(size);
  });

  it('the receipt carries the receiver\'s signed checkpoint, which the sender holds as a witness', async () => {
    const id = net.send('open-gate', 'astra');
    await net.drain();
    const receipt = JSON.parse(ctxOf('open-gate').outbox.receipt(id)!) as { receipt: { checkpoint: unknown } };
    const key = ctxOf('open-gate').peers.keys('node:astra')[0]!;
    const checked = verifyCheckpoint(receipt.receipt.checkpoint, key);
    expect(checked.ok).toBe(true);
    await expect.poll(() => ctxOf('open-gate').audit.witnesses().find((w) => w.node === 'node:astra')?.verdict).toBe('consistent');
  });
});

describe('audit verify', () => {
  it('an untouched log verifies', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, problem: null });
    expect(report.entries).toBeGreaterThan(20);
  });

  type Row = { seq: number; bytes: Buffer; leafHash: Buffer; caseId: string | null };
  const row = (seq: number) => db.prepare('SELECT * FROM audit_entry WHERE seq = ?').get(seq) as Row;
  const put = (r: Row) => db.prepare('INSERT OR REPLACE INTO audit_entry (seq, bytes, leafHash, caseId) VALUES (@seq, @bytes, @leafHash, @caseId)').run(r);
  const size = () => (db.prepare('SELECT count(*) AS n FROM audit_entry').get() as { n: number }).n;
  /** change something, ask the node, put it back, and check the log verifies again */
  const tampered = async (change: () => () => void) => {
    const undo = change();
    try {
      return await verify();
    } finally {
      undo();
      expect((await verify()).ok).toBe(true);
    }
  };
  const positions = () => [0, 1, Math.floor(size() / 2), size() - 2, size() - 1];

  it.each(['first', 'second', 'middle', 'second-last', 'last'].map((p, i) => [p, i] as const))('a changed entry (%s) is named: bytes alone, and bytes with a recomputed leaf hash', async (_p, i) => {
    const seq = positions()[i]!;
    const original = row(seq);
    const text = original.bytes.toString('utf8');
    const forged = Buffer.from(text.replace(/"at":(\d+)/, (_m, at: string) => `"at":${Number(at) + 1}`));
    expect(forged.equals(original.bytes)).toBe(false);
    expect((await tampered(() => (put({ ...original, bytes: forged }), () => put(original)))).problem).toEqual({ at: 'entry', seq, reason: 'changed' });
    // an attacker who also rewrites the leaf hash: caught by the first signed checkpoint after it
    const report = await tampered(() => (put({ ...original, bytes: forged, leafHash: Buffer.from(leafHash(forged)) }), () => put(original)));
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ at: 'checkpoint', reason: 'root-differs' });
    const { fromSeq, seq: toSeq } = report.problem as { fromSeq: number; seq: number };
    expect(fromSeq <= seq && seq <= toSeq).toBe(true);
  });

  it.each(['first', 'second', 'middle', 'second-last', 'last'].map((p, i) => [p, i] as const))('a deleted entry (%s) is named missing', async (_p, i) => {
    const seq = positions()[i]!;
    const original = row(seq);
    const report = await tampered(() => (db.prepare('DELETE FROM audit_entry WHERE seq = ?').run(seq), () => put(original)));
    expect(report.problem).toEqual({ at: 'entry', seq, reason: 'missing' });
  });

  it.each(['first', 'second', 'middle', 'second-last'].map((p, i) => [p, i] as const))('two entries swapped (%s and the next) are named out of order', async (_p, i) => {
    const seq = positions()[i]!;
    const a = row(seq);
    const b = row(seq + 1);
    const report = await tampered(() => {
      put({ ...b, seq });
      put({ ...a, seq: seq + 1 });
      return () => (put(a), put(b));
    });
    expect(report.problem).toEqual({ at: 'entry', seq, reason: 'out-of-order' });
  });

  it('a changed checkpoint (root, size or signature) is named by its size', async () => {
    const checkpoints = db.prepare('SELECT size, root, at, signed FROM audit_checkpoint ORDER BY size').all() as { size: number; root: string; at: number; signed: string }[];
    expect(checkpoints.length).toBeGreaterThanOrEqual(4);
    for (const c of [checkpoints[0]!, checkpoints[Math.floor(checkpoints.length / 2)]!, checkpoints.at(-1)!]) {
      const signed = JSON.parse(c.signed) as { checkpoint: { size: number; root: string; at: number }; signature: string };
      const variants = [
        { ...signed, checkpoint: { ...signed.checkpoint, at: signed.checkpoint.at + 1 } },
        { ...signed, signature: `${signed.signature[0] === 'A' ? 'B' : 'A'}${signed.signature.slice(1)}` },
        { ...signed, checkpoint: { ...signed.checkpoint, root: toBase64Url(sha256(new Uint8Array([1]))) } },
      ];
      for (const v of variants) {
        const report = await tampered(() => {
          db.prepare('UPDATE audit_checkpoint SET signed = ? WHERE size = ?').run(JSON.stringify(v), c.size);
          return () => db.prepare('UPDATE audit_checkpoint SET signed = ? WHERE size = ?').run(c.signed, c.size);
        });
        expect(report.problem).toEqual({ at: 'checkpoint', size: c.size, reason: 'bad-signature' });
      }
    }
  });

  it('corridor audit verify: exit 1 and one line naming the entry, in every language; --json the same problem', async () => {
    const n = net.nodes['open-gate']!;
    const seq = Math.floor(size() / 2);
    const original = row(seq);
    db.prepare('DELETE FROM audit_entry WHERE seq = ?').run(seq);
    try {
      const cli = (...args: string[]) => runCli(['audit', 'verify', '--node', n.url, '--data-dir', n.dataDir, ...args]);
      const en = await cli();
      expect(en.code).toBe(1);
      expect(en.stderr.trimEnd().split('\n')).toEqual([`The audit log does NOT verify: entry ${seq} is missing.`]);
      for (const lang of ['sr', 'mk', 'sq', 'de']) {
        const r = await cli('--lang', lang);
        expect(r.code).toBe(1);
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(r.stderr).toContain(String(seq));
      }
      const json = await cli('--json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problem: { at: 'entry', seq, reason: 'missing' } });
    } finally {
      put(original);
    }
    expect((await runCli(['audit', 'verify', '--node', n.url, '--data-dir', n.dataDir])).code).toBe(0);
  });

  it('a truncated log is named missing at the first entry gone, also with the frontier rewound to match', async () => {
    const n = size();
    const last = row(n - 1);
    const frontier = db.prepare('SELECT size, frontier FROM audit_frontier').get() as { size: number; frontier: Buffer };
    expect((await tampered(() => (db.prepare('DELETE FROM audit_entry WHERE seq = ?').run(n - 1), () => put(last)))).problem).toEqual({ at: 'entry', seq: n - 1, reason: 'missing' });
    // the attacker also rewinds the frontier: the signed checkpoint over n entries still says n
    const report = await tampered(() => {
      db.prepare('DELETE FROM audit_entry WHERE seq = ?').run(n - 1);
      const acc = new MerkleAccumulator();
      for (const r of db.prepare('SELECT leafHash FROM audit_entry ORDER BY seq').all() as { leafHash: Buffer }[]) acc.append(new Uint8Array(r.leafHash));
      db.prepare('UPDATE audit_frontier SET size = ?, frontier = ?').run(acc.size, packFrontier(acc.frontier()));
      return () => {
        put(last);
        db.prepare('UPDATE audit_frontier SET size = ?, frontier = ?').run(frontier.size, frontier.frontier);
      };
    });
    expect(report.problem).toEqual({ at: 'entry', seq: n - 1, reason: 'missing' });
  });
});
