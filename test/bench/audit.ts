import {
  AUDIT_KINDS,
  type AuditEntry,
  type AuditKind,
  MerkleAccumulator,
  SigningKey,
  auditEntryBytes,
  checkLogAgainst,
  certifyNodeKey,
  leafHash,
  newId,
  sha256,
  signCheckpoint,
  toBase64Url,
  verifyCheckpoint,
  verifyNodeKeyCertificate,
} from '../../protocol/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, packFrontier } from '../../node/audit/log.js';
import { verifyAuditLog } from '../../node/audit/verify.js';
import { manualClock } from '../../node/clock.js';
import { openDb } from '../../node/db/client.js';
import { T0 } from '../helpers/time.js';
import type { BenchLine } from './envelope.js';
import { compare, round2, round3 } from './measure.js';
import { TEST_DATABASE_KEY } from '../helpers/node-db.js';

/**
 * The audit log's pure core (issue 7): the append path (build an entry's RFC 8785 bytes, hash the
 * leaf, fold it into the O(log n) accumulator) and `verify` over 1,000,000 stored entries (every
 * leaf hash and the root recomputed from the stored bytes, compared with a signed checkpoint;
 * goal < 10 s). Baseline for both: bare SHA-256 of the same entry bytes, measured in the same run.
 * ratio = baseline / ours (speed as a fraction of bare hashing; 0.5 = half as fast).
 *
 * Then the node's own path (node/audit/): `record` through SQLite, one entry per transaction as
 * the node writes them, and `audit verify` (node/audit/verify.ts) over 1,000,000 entries stored in
 * a real node database with a signed checkpoint every 10,000 entries; each against the protocol
 * level figure of the same run (ratio = protocol / node). The node's verify also reports the
 * process's CPU time (`ours_cpu_ms`, median): verify runs on one thread, so on a quiet machine its
 * wall time is about that; on a loaded one the wall time is mostly waiting for a core.
 */
const NODE_APPEND_ENTRIES = 20_000;
const CHECKPOINT_EVERY = 10_000;

const VERIFY_ENTRIES = 1_000_000;
const POOL = 4096;
const encoder = new TextEncoder();
const digest = (label: string) => toBase64Url(sha256(encoder.encode(label)));

/**
 * The events a node logs most, with the ids and hashes each carries in practice. Keys are written
 * in RFC 8785 order (sorted at every level) so that JSON.stringify gives the canonical bytes
 * directly: building a million entries through zod and canonicalize would take longer than the
 * verification being measured. `canonicalCheck` confirms the bytes equal auditEntryBytes.
 */
function realisticEntry(seq: number, ids: readonly string[], digests: readonly string[]): AuditEntry {
  const id = (k: number) => ids[(seq * 7 + k) % ids.length]!;
  const hash = (k: number) => digests[(seq * 13 + k) % digests.length]!;
  const at = T0 + Math.floor(seq / 3);
  const kinds: AuditKind[] = ['message-queued', 'message-sent', 'message-delivered', 'message-acknowledged', 'case-viewed', 'consent-given'];
  const kind = seq % 97 === 0 ? AUDIT_KINDS[seq % AUDIT_KINDS.length]! : kinds[seq % kinds.length]!;
  const actor = seq % 3 === 0 ? `account:${id(5)}` : 'node:lefoe-ibf';
  if (kind.startsWith('message-')) {
    const hashes = kind === 'message-delivered' ? { ciphertext: hash(0), consent: hash(1), receipt: hash(2) } : { ciphertext: hash(0), consent: hash(1) };
    return { actor, at, hashes, kind, seq, subject: { caseId: id(0), consentId: id(3), messageId: id(1), org: 'org:astra', referralId: id(2) } };
  }
  if (kind.startsWith('consent-')) return { actor, at, hashes: { consent: hash(1) }, kind, seq, subject: { caseId: id(0), consentId: id(3), org: 'org:astra' } };
  if (kind === 'access-denied' || kind === 'login-failed') return { actor, at, code: 'Unauthenticated', kind, seq, subject: {} };
  return { actor, at, kind, seq, subject: { caseId: id(0) } };
}

const fastBytes = (entry: AuditEntry) => encoder.encode(JSON.stringify(entry));

function canonicalCheck(entry: AuditEntry): void {
  const fast = fastBytes(entry);
  const canonical = auditEntryBytes(entry);
  if (fast.length !== canonical.length || !fast.every((x, i) => x === canonical[i])) throw new Error(`bench entry ${entry.seq} is not in canonical form`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function benchAudit(progress: (line: string) => void = () => {}): BenchLine[] {
  const ids = Array.from({ length: 512 }, (_, i) => newId(T0 * 1000 + i));
  const digests = Array.from({ length: 4096 }, (_, i) => digest(`evidence ${i}`));
  const nodeKey = SigningKey.fromSeed('node', sha256(encoder.encode('bench audit node')));
  const orgKey = SigningKey.fromSeed('org', sha256(encoder.encode('bench audit org')));
  const cert = certifyNodeKey(orgKey, 'org:lefoe-ibf', { node: 'node:lefoe-ibf', publicKey: nodeKey.publicKey, notBefore: T0 - 86_400, notAfter: T0 + 300 * 86_400 });
  const trusted = verifyNodeKeyCertificate(cert, orgKey.publicKey);
  if (!trusted.ok) throw new Error('bench key certificate does not verify');

  // ---- append rate ----
  const pool = Array.from({ length: POOL }, (_, i) => realisticEntry(i, ids, digests));
  pool.forEach(canonicalCheck);
  const poolBytes = pool.map(auditEntryBytes);
  const acc = new MerkleAccumulator();
  const accBytes = new MerkleAccumulator();
  let a = 0;
  let b = 0;
  let c = 0;
  const append = compare({
    'entry+canonical+leaf+accumulate': () => {
      const e = pool[a++ % POOL]!;
      acc.append(leafHash(auditEntryBytes({ ...e, seq: acc.size })));
    },
    'leaf+accumulate (bytes built)': () => accBytes.append(leafHash(poolBytes[b++ % POOL]!)),
    'bare sha256': () => sha256(poolBytes[c++ % POOL]!),
  }, { rounds: 5, ms: 200 });
  const bare = append['bare sha256']!.opsPerSecond;
  const avgBytes = Math.round(poolBytes.reduce((n, x) => n + x.length, 0) / POOL);

  // ---- verify 1,000,000 stored entries against a signed checkpoint ----
  progress(`building ${VERIFY_ENTRIES.toLocaleString('en')} entries...`);
  const offsets = new Float64Array(VERIFY_ENTRIES + 1);
  let store = new Uint8Array(VERIFY_ENTRIES * (avgBytes + 64));
  let at = 0;
  for (let seq = 0; seq < VERIFY_ENTRIES; seq++) {
    const entry = realisticEntry(seq, ids, digests);
    if (seq % 9973 === 0) canonicalCheck(entry);
    const bytes = fastBytes(entry);
    if (at + bytes.length > store.length) {
      const bigger = new Uint8Array(store.length * 2);
      bigger.set(store);
      store = bigger;
    }
    store.set(bytes, at);
    offsets[seq] = at;
    at += bytes.length;
  }
  offsets[VERIFY_ENTRIES] = at;
  function* stored(): Generator<Uint8Array> {
    for (let i = 0; i < VERIFY_ENTRIES; i++) yield store.subarray(offsets[i]!, offsets[i + 1]!);
  }
  // the node's append path over the whole log, once: the root it signs
  progress('appending them to the tree...');
  const log = new MerkleAccumulator();
  const appendMs = time(() => {
    for (const bytes of stored()) log.append(leafHash(bytes));
  });
  const signed = signCheckpoint(nodeKey, { log: 'node:lefoe-ibf', size: VERIFY_ENTRIES, root: toBase64Url(log.root()), at: T0 + 86_400 });
  const ours: number[] = [];
  const floor: number[] = [];
  for (let round = 0; round < 2; round++) {
    progress(`verify round ${round + 1} of 2...`);
    ours.push(
      time(() => {
        const checkpoint = verifyCheckpoint(signed, trusted.value);
        if (!checkpoint.ok || !checkLogAgainst(checkpoint.value, stored()).matches) throw new Error('the log does not verify');
      }),
    );
    floor.push(
      time(() => {
        for (const bytes of stored()) sha256(bytes);
      }),
    );
  }

  // ---- the node: record through SQLite, and audit verify over 1,000,000 stored entries ----
  const dir = mkdtempSync(join(tmpdir(), 'corridor-bench-audit-'));
  const node: { append_per_s: number; verify_ms: number[]; verify_cpu_ms: number[]; db_mb: number; checkpoints: number } = { append_per_s: 0, verify_ms: [], verify_cpu_ms: [], db_mb: 0, checkpoints: 0 };
  try {
    progress(`node: recording ${NODE_APPEND_ENTRIES.toLocaleString('en')} entries, one transaction each...`);
    const appendDb = openDb(join(dir, 'append.db'), { key: TEST_DATABASE_KEY });
    const clock = manualClock(T0 * 1000);
    const audit = createAuditLog({ sqlite: appendDb.sqlite, clock, self: 'node:lefoe-ibf', nodeKey: () => nodeKey });
    const one = appendDb.sqlite.transaction((e: AuditEntry) => audit.record({ kind: e.kind, actor: e.actor, subject: e.subject, ...(e.hashes ? { hashes: e.hashes } : {}), ...(e.code ? { code: e.code } : {}) }));
    const appendNodeMs = time(() => {
      for (let i = 0; i < NODE_APPEND_ENTRIES; i++) one(pool[i % POOL]!);
    });
    node.append_per_s = NODE_APPEND_ENTRIES / (appendNodeMs / 1000);
    appendDb.close();

    progress(`node: storing ${VERIFY_ENTRIES.toLocaleString('en')} entries in SQLite...`);
    const verifyDb = openDb(join(dir, 'verify.db'), { key: TEST_DATABASE_KEY });
    const sqlite = verifyDb.sqlite;
    const insert = sqlite.prepare('INSERT INTO audit_entry (seq, bytes, leafHash, caseId) VALUES (?, ?, ?, NULL)');
    const insertCheckpoint = sqlite.prepare('INSERT INTO audit_checkpoint (size, root, at, signed) VALUES (?, ?, ?, ?)');
    const tree = new MerkleAccumulator();
    let seq = 0;
    const fill = sqlite.transaction((upTo: number) => {
      for (; seq < upTo; seq++) {
        const bytes = store.subarray(offsets[seq]!, offsets[seq + 1]!);
        const leaf = leafHash(bytes);
        tree.append(leaf);
        insert.run(seq, Buffer.from(bytes), Buffer.from(leaf));
        if (tree.size % CHECKPOINT_EVERY === 0 || tree.size === VERIFY_ENTRIES) {
          const cp = signCheckpoint(nodeKey, { log: 'node:lefoe-ibf', size: tree.size, root: toBase64Url(tree.root()), at: T0 + 86_400 });
          insertCheckpoint.run(tree.size, cp.checkpoint.root, cp.checkpoint.at, JSON.stringify(cp));
          node.checkpoints++;
        }
      }
    });
    for (let upTo = 100_000; upTo <= VERIFY_ENTRIES; upTo += 100_000) fill(upTo);
    sqlite.prepare('INSERT INTO audit_frontier (one, size, frontier) VALUES (1, ?, ?)').run(tree.size, packFrontier(tree.frontier()));
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    node.db_mb = (sqlite.prepare('SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()').get() as { n: number }).n / 1024 / 1024;
    for (let round = 0; round < 2; round++) {
      progress(`node: audit verify round ${round + 1} of 2...`);
      // the process's CPU time too: on this shared 2-core machine the wall time is mostly the load
      const cpu = process.cpuUsage();
      node.verify_ms.push(
        time(() => {
          const report = verifyAuditLog(sqlite, (kid) => (kid === trusted.value.kid ? trusted.value : undefined));
          if (!report.ok || report.entries !== VERIFY_ENTRIES) throw new Error(`the stored log does not verify: ${JSON.stringify(report.problem)}`);
        }),
      );
      const used = process.cpuUsage(cpu);
      node.verify_cpu_ms.push((used.user + used.system) / 1000);
    }
    verifyDb.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const protocolAppend = append['entry+canonical+leaf+accumulate']!.opsPerSecond;

  return [
    {
      bench: 'audit-append',
      entry_bytes_avg: avgBytes,
      entries_per_s: Object.fromEntries(Object.entries(append).map(([k, v]) => [k, round2(v.opsPerSecond)])),
      baseline: 'bare SHA-256 of the same entry bytes',
      ratio: Object.fromEntries(Object.entries(append).map(([k, v]) => [k, round3(v.opsPerSecond / bare)])),
      statistic: 'median of interleaved rounds',
    },
    {
      bench: 'audit-verify-1m',
      entries: VERIFY_ENTRIES,
      stored_mb: round2(at / 1024 / 1024),
      entry_bytes_avg: Math.round(at / VERIFY_ENTRIES),
      ours_ms: round2(median(ours)),
      ours_rounds_ms: ours.map(round2),
      floor_bare_sha256_ms: round2(median(floor)),
      append_all_ms: round2(appendMs),
      target_ms: 10_000,
      baseline: 'bare SHA-256 of each stored entry (no leaf prefix, no tree, no checkpoint), median of 2 interleaved rounds',
      ratio: round3(median(floor) / median(ours)),
    },
    {
      bench: 'audit-node-append',
      entries: NODE_APPEND_ENTRIES,
      entries_per_s: round2(node.append_per_s),
      protocol_entries_per_s: round2(protocolAppend),
      baseline: 'the protocol-level append (entry, canonical bytes, leaf, accumulator) of the same run',
      ratio: round3(node.append_per_s / protocolAppend),
      statistic: 'one run, record() in its own SQLite transaction per entry (WAL, synchronous=NORMAL)',
    },
    {
      bench: 'audit-node-verify-1m',
      entries: VERIFY_ENTRIES,
      checkpoints: node.checkpoints,
      db_mb: round2(node.db_mb),
      ours_ms: round2(median(node.verify_ms)),
      ours_rounds_ms: node.verify_ms.map(round2),
      ours_cpu_ms: round2(median(node.verify_cpu_ms)),
      protocol_ms: round2(median(ours)),
      target_ms: 10_000,
      baseline: 'the protocol-level verify (checkLogAgainst over the same bytes in memory) of the same run, median of 2',
      ratio: round3(median(ours) / median(node.verify_ms)),
    },
  ];
}
