import type Database from 'better-sqlite3-multiple-ciphers';
import { BinaryAccumulator, MerkleAccumulator, type TrustedNodeKey, leafHashBinary, toBase64Url, verifyCheckpoint } from '../../protocol/index.js';
import { chunkReader } from './verify-read.js';
import { unpackFrontier } from './log.js';

/**
 * `corridor audit verify`: recomputes every leaf hash from the stored entry bytes, the Merkle
 * tree, the frontier and every stored checkpoint (root and signature), in one pass in seq order,
 * and names the first thing that does not match.
 *
 * What it can name exactly: a row whose bytes no longer hash to its stored leaf hash (`changed`),
 * a seq with no row (`missing`), a row whose bytes carry another seq (`out-of-order`), bytes that
 * are not an entry at all (`malformed`), a checkpoint whose signature fails (`bad-signature`). An
 * attacker who rewrites a row's bytes and its leaf hash together is caught by the next signed
 * checkpoint: the report then names the range of entries since the last checkpoint that matched
 * (`root-differs`, `fromSeq`..`seq`), which is as precise as signatures allow.
 *
 * The rows come a chunk of seqs at a time (`verify-read.ts`), each still checked on its own by
 * `step`; the hashes are binary strings (`BinaryAccumulator`): a million entries in about 8 s of
 * CPU (ADR 0016).
 */

export type AuditProblem =
  | { at: 'entry'; seq: number; reason: 'changed' | 'missing' | 'out-of-order' | 'malformed' }
  | { at: 'checkpoint'; size: number; reason: 'bad-signature' | 'root-differs'; fromSeq?: number; seq?: number }
  | { at: 'frontier'; size: number; reason: 'changed' | 'missing' };

export interface AuditVerifyReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** the size of the latest checkpoint that verified, 0 if none */
  verifiedUpTo: number;
  problem: AuditProblem | null;
}

/** Entries read per query: one row of aggregates per chunk instead of a JavaScript row per entry. */
export const VERIFY_CHUNK = 16_384;

export function verifyAuditLog(sqlite: Database.Database, ownKey: (kid: string) => TrustedNodeKey | undefined, chunk = VERIFY_CHUNK): AuditVerifyReport {
  const checkpoints = new Map<number, { root: string; signed: string }>();
  for (const row of sqlite.prepare<[], { size: number; root: string; signed: string }>('SELECT size, root, signed FROM audit_checkpoint ORDER BY size').iterate()) {
    checkpoints.set(row.size, { root: row.root, signed: row.signed });
  }
  const tree = new BinaryAccumulator();
  let verifiedUpTo = 0;
  let lastGood = 0;
  let problem: AuditProblem | null = null;

  const checkCheckpoint = (size: number, root: string): AuditProblem | null => {
    const stored = checkpoints.get(size)!;
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored.signed);
    } catch {
      return { at: 'checkpoint', size, reason: 'bad-signature' };
    }
    const kid = (parsed as { kid?: unknown } | null)?.kid;
    const key = typeof kid === 'string' ? ownKey(kid) : undefined;
    const checked = key ? verifyCheckpoint(parsed, key) : null;
    if (!checked || !checked.ok || checked.value.size !== size || checked.value.root !== stored.root) return { at: 'checkpoint', size, reason: 'bad-signature' };
    if (checked.value.root !== root) return { at: 'checkpoint', size, reason: 'root-differs', fromSeq: lastGood, seq: size - 1 };
    return null;
  };

  /** One stored row, in seq order, however it was read: the first thing wrong with it, or null. */
  const step = (seq: number, bytes: Buffer, stored: string): AuditProblem | null => {
    if (seq !== tree.size) return { at: 'entry', seq: tree.size, reason: 'missing' };
    const leaf = leafHashBinary(bytes);
    if (leaf !== stored) return { at: 'entry', seq, reason: 'changed' };
    // the entry names its own seq: canonical JSON, so the first `"seq":` is the entry's own
    const named = seqOf(bytes);
    if (named === null) return { at: 'entry', seq, reason: 'malformed' };
    if (named !== seq) return { at: 'entry', seq, reason: 'out-of-order' };
    tree.append(leaf);
    if (checkpoints.has(tree.size)) {
      const found = checkCheckpoint(tree.size, toBase64Url(tree.root()));
      if (found) return found;
      verifiedUpTo = tree.size;
      lastGood = tree.size;
    }
    return null;
  };

  const read = chunkReader(sqlite);
  if (checkpoints.has(0)) problem = checkCheckpoint(0, toBase64Url(tree.root()));
  // a row below seq 0 comes first in seq order: entry 0 is not where it should be
  if (!problem && read.firstSeq() < 0) problem = { at: 'entry', seq: 0, reason: 'missing' };
  for (let from = 0; !problem; from += chunk) {
    problem = read.chunk(from, from + chunk, step);
    if (!problem && tree.size < from + chunk) {
      // the log ends inside this chunk; a row further on means the entries from here on are missing
      if (read.anyFrom(from + chunk)) problem = { at: 'entry', seq: tree.size, reason: 'missing' };
      break;
    }
  }
  // a checkpoint over more entries than there are: the entries after the last one are missing
  if (!problem && [...checkpoints.keys()].some((size) => size > tree.size)) problem = { at: 'entry', seq: tree.size, reason: 'missing' };
  if (!problem) {
    const frontier = sqlite.prepare<[], { size: number; frontier: Buffer }>('SELECT size, frontier FROM audit_frontier WHERE one = 1').get();
    if (!frontier) {
      if (tree.size > 0) problem = { at: 'frontier', size: tree.size, reason: 'missing' };
    } else if (frontier.size > tree.size) {
      problem = { at: 'entry', seq: tree.size, reason: 'missing' };
    } else {
      const hashes = unpackFrontier(frontier.frontier);
      const stored = hashes ? MerkleAccumulator.fromFrontier(frontier.size, hashes) : null;
      if (!stored || !stored.ok || frontier.size !== tree.size || toBase64Url(stored.value.root()) !== toBase64Url(tree.root())) {
        problem = { at: 'frontier', size: frontier.size, reason: 'changed' };
      }
    }
  }
  return { ok: problem === null, entries: tree.size, checkpoints: checkpoints.size, verifiedUpTo, problem };
}

const SEQ_KEY = Buffer.from('"seq":');

/** The number after the first `"seq":` in canonical entry bytes; null if there is none. */
function seqOf(bytes: Buffer): number | null {
  const at = bytes.indexOf(SEQ_KEY);
  if (at < 0) return null;
  let n = 0;
  let digits = 0;
  for (let i = at + SEQ_KEY.length; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
    if (++digits > 16) return null;
  }
  return digits === 0 ? null : n;
}
