import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3-multiple-ciphers';
import {
  type AuditActor,
  type AuditEntry,
  type AuditHashes,
  type AuditKind,
  type AuditSubject,
  type Clock,
  HASH_BYTES,
  MerkleAccumulator,
  type SignedCheckpoint,
  type SigningKey,
  auditEntryBytes,
  consistencyProof,
  inclusionProof,
  leafHash,
  signCheckpoint,
  toBase64Url,
} from '../../protocol/index.js';

/**
 * The node's audit log: the one owner of the `audit_*` tables (ADR 0016). Everything else calls
 * `record`, inside its own transaction, so the event and its entry commit together or not at all.
 *
 * - `record` reads the stored frontier (O(log n) hashes), appends the leaf, writes the entry and
 *   the new frontier: no signature on the append path;
 * - `checkpoint` signs the tree as it stands when a witness or a proof needs one (a receipt going
 *   out, `audit verify`, an evidence bundle, the node's 30-second sweep), and only if the log grew
 *   since the last one: at most one Ed25519 signature per batch of entries.
 */

export interface AuditEvent {
  kind: AuditKind;
  /** who: by default the local API's actor of the request being served (`as`), else the node; `self`: the node, always */
  actor?: AuditActor | 'self';
  subject: AuditSubject;
  hashes?: AuditHashes;
  code?: AuditEntry['code'];
}

export interface StoredCheckpoint {
  size: number;
  root: string;
  signed: string;
}

/** What stores get: only the append. */
export type AuditRecorder = Pick<AuditLog, 'record'>;
/** For stores built without a log (unit tests of one store). */
export const noAudit: AuditRecorder = { record: () => -1 };

export interface AuditLog {
  /** appends one entry; throws unless called inside a transaction. Returns the entry's seq. */
  record(event: AuditEvent): number;
  /** runs `fn` with `actor` as the default actor of what it records (a local API request) */
  as<T>(actor: AuditActor, fn: () => T): T;
  /** the latest signed checkpoint, signing a new one first if the log grew since */
  checkpoint(): SignedCheckpoint;
  /** entries so far (the frontier's size) */
  size(): number;
  /** leaf hashes of seq [0, size) in order */
  leafHashes(size: number): Uint8Array[];
  /** RFC 6962 proofs over the log as stored; `null` when the sizes are not in the log */
  inclusion(seq: number, size: number): Uint8Array[] | null;
  consistency(from: number, to: number): Uint8Array[] | null;
  /** entries about a case or about one of these messages, in seq order: seq and their stored bytes */
  entriesAbout(caseId: string, messageIds?: readonly string[]): { seq: number; bytes: Uint8Array }[];
  checkpoints(): StoredCheckpoint[];
  /** partners' checkpoints held as witnesses and what their last check found (node/audit/witness.ts) */
  witnesses(): { node: string; size: number; root: string; verdict: string; checkedAt: number }[];
  readonly sqlite: Database.Database;
}

export interface AuditLogDeps {
  sqlite: Database.Database;
  clock: Clock;
  self: string;
  nodeKey: () => SigningKey;
}

export function packFrontier(hashes: readonly Uint8Array[]): Buffer {
  return Buffer.concat(hashes.map((h) => Buffer.from(h.buffer, h.byteOffset, h.byteLength)));
}

export function unpackFrontier(bytes: Uint8Array): Uint8Array[] | null {
  if (bytes.length % HASH_BYTES !== 0) return null;
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += HASH_BYTES) out.push(Uint8Array.from(bytes.subarray(i, i + HASH_BYTES)));
  return out;
}

export function createAuditLog(deps: AuditLogDeps): AuditLog {
  const { sqlite } = deps;
  const readFrontier = sqlite.prepare<[], { size: number; frontier: Buffer }>('SELECT size, frontier FROM audit_frontier WHERE one = 1');
  const writeFrontier = sqlite.prepare<[number, Buffer]>('INSERT INTO audit_frontier (one, size, frontier) VALUES (1, ?, ?) ON CONFLICT(one) DO UPDATE SET size = excluded.size, frontier = excluded.frontier');
  const insertEntry = sqlite.prepare<[number, Buffer, Buffer, string | null, string | null]>('INSERT INTO audit_entry (seq, bytes, leafHash, caseId, messageId) VALUES (?, ?, ?, ?, ?)');
  const latestCheckpoint = sqlite.prepare<[], StoredCheckpoint>('SELECT size, root, signed FROM audit_checkpoint ORDER BY size DESC LIMIT 1');
  const insertCheckpoint = sqlite.prepare<[number, string, number, string]>('INSERT OR REPLACE INTO audit_checkpoint (size, root, at, signed) VALUES (?, ?, ?, ?)');
  const allCheckpoints = sqlite.prepare<[], StoredCheckpoint>('SELECT size, root, signed FROM audit_checkpoint ORDER BY size');
  const leaves = sqlite.prepare<[number], { leafHash: Buffer }>('SELECT leafHash FROM audit_entry WHERE seq < ? ORDER BY seq');
  const witnessRows = sqlite.prepare<[], { node: string; size: number; root: string; verdict: string; checkedAt: number }>('SELECT node, size, root, verdict, checkedAt FROM audit_witness ORDER BY node');
  const about = sqlite.prepare<[string], { seq: number; bytes: Buffer }>('SELECT seq, bytes FROM audit_entry WHERE caseId = ? ORDER BY seq');
  const aboutMessage = sqlite.prepare<[string], { seq: number; bytes: Buffer }>('SELECT seq, bytes FROM audit_entry WHERE messageId = ? ORDER BY seq');

  const accumulator = (): MerkleAccumulator => {
    const row = readFrontier.get();
    if (!row) return new MerkleAccumulator();
    const hashes = unpackFrontier(row.frontier);
    const acc = hashes ? MerkleAccumulator.fromFrontier(row.size, hashes) : null;
    // a frontier that does not fit its size is damage: refuse to append (audit verify names it)
    if (!acc || !acc.ok) throw new Error('the audit frontier is damaged: run corridor audit verify');
    return acc.value;
  };

  const leafHashes = (size: number): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (const row of leaves.iterate(size)) out.push(new Uint8Array(row.leafHash));
    return out;
  };

  const nowSeconds = () => Math.floor(deps.clock.now() / 1000);
  const actors = new AsyncLocalStorage<AuditActor>();

  return {
    sqlite,
    as: (actor, fn) => actors.run(actor, fn),
    record(event) {
      if (!sqlite.inTransaction) throw new Error('audit entries are recorded inside the transaction of the event they record');
      const acc = accumulator();
      const entry: AuditEntry = { seq: acc.size, at: nowSeconds(), kind: event.kind, actor: event.actor === 'self' ? deps.self : (event.actor ?? actors.getStore() ?? deps.self), subject: event.subject };
      if (event.hashes && Object.keys(event.hashes).length > 0) entry.hashes = event.hashes;
      if (event.code) entry.code = event.code;
      const bytes = auditEntryBytes(entry);
      const leaf = leafHash(bytes);
      acc.append(leaf);
      insertEntry.run(entry.seq, Buffer.from(bytes), Buffer.from(leaf), event.subject.caseId ?? null, event.subject.messageId ?? null);
      writeFrontier.run(acc.size, packFrontier(acc.frontier()));
      return entry.seq;
    },
    checkpoint() {
      return sqlite.transaction(() => {
        const acc = accumulator();
        const latest = latestCheckpoint.get();
        if (latest && latest.size === acc.size) return JSON.parse(latest.signed) as SignedCheckpoint;
        const signed = signCheckpoint(deps.nodeKey(), { log: deps.self, size: acc.size, root: toBase64Url(acc.root()), at: nowSeconds() });
        insertCheckpoint.run(signed.checkpoint.size, signed.checkpoint.root, signed.checkpoint.at, JSON.stringify(signed));
        return signed;
      })();
    },
    size: () => readFrontier.get()?.size ?? 0,
    leafHashes,
    inclusion(seq, size) {
      const proof = inclusionProof(leafHashes(size), seq, size);
      return proof.ok ? proof.value : null;
    },
    consistency(from, to) {
      const proof = consistencyProof(leafHashes(to), from, to);
      return proof.ok ? proof.value : null;
    },
    entriesAbout: (caseId, messageIds = []) => {
      const rows = new Map<number, Buffer>();
      for (const r of about.all(caseId)) rows.set(r.seq, r.bytes);
      for (const id of messageIds) for (const r of aboutMessage.all(id)) rows.set(r.seq, r.bytes);
      return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([seq, bytes]) => ({ seq, bytes: new Uint8Array(bytes) }));
    },
    checkpoints: () => allCheckpoints.all(),
    witnesses: () => witnessRows.all(),
  };
}
