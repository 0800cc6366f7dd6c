import type Database from 'better-sqlite3-multiple-ciphers';
import { MerkleAccumulator, type TrustedNodeKey, leafHash, toBase64Url, verifyCheckpoint } from '../../protocol/index.js';
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

export function verifyAuditLog(sqlite: Database.Database, ownKey: (kid: string) => TrustedNodeKey | undefined): AuditVerifyReport {
  const checkpoints = new Map<number, { root: string; signed: string }>();
  for (const row of sqlite.prepare<[], { size: number; root: string; signed: string }>('SELECT size, root, signed FROM audit_checkpoint ORDER BY size').iterate()) {
    checkpoints.set(row.size, { root: row.root, signed: row.signed });
  }
  const acc = new MerkleAccumulator();
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

  if (checkpoints.has(0)) problem = checkCheckpoint(0, toBase64Url(acc.root()));
  // raw rows (arrays, not objects): a million of them is the hot loop of `audit verify`
  const rows = sqlite.prepare('SELECT seq, bytes, leafHash FROM audit_entry ORDER BY seq').raw(true);
  let expected = 0;
  if (!problem) {
    for (const raw of rows.iterate() as Iterable<[number, Buffer, Buffer]>) {
      const [seq, bytes, stored] = raw;
      if (seq !== expected) {
        problem = { at: 'entry', seq: expected, reason: 'missing' };
        break;
      }
      const leaf = leafHash(bytes);
      if (!stored.equals(leaf)) {
        problem = { at: 'entry', seq, reason: 'changed' };
        break;
      }
      // the entry names its own seq: canonical JSON, so the first `"seq":` is the entry's own
      const named = seqOf(bytes);
      if (named === null) {
        problem = { at: 'entry', seq, reason: 'malformed' };
        break;
      }
      if (named !== seq) {
        problem = { at: 'entry', seq, reason: 'out-of-order' };
        break;
      }
      acc.append(leaf);
      expected++;
      if (checkpoints.has(acc.size)) {
        problem = checkCheckpoint(acc.size, toBase64Url(acc.root()));
        if (problem) break;
        verifiedUpTo = acc.size;
        lastGood = acc.size;
      }
    }
  }
  // a checkpoint over more entries than there are: the entries after the last one are missing
  if (!problem && [...checkpoints.keys()].some((size) => size > acc.size)) problem = { at: 'entry', seq: acc.size, reason: 'missing' };
  if (!problem) {
    const frontier = sqlite.prepare<[], { size: number; frontier: Buffer }>('SELECT size, frontier FROM audit_frontier WHERE one = 1').get();
    if (!frontier) {
      if (acc.size > 0) problem = { at: 'frontier', size: acc.size, reason: 'missing' };
    } else if (frontier.size > acc.size) {
      problem = { at: 'entry', seq: acc.size, reason: 'missing' };
    } else {
      const hashes = unpackFrontier(frontier.frontier);
      const stored = hashes ? MerkleAccumulator.fromFrontier(frontier.size, hashes) : null;
      if (!stored || !stored.ok || frontier.size !== acc.size || toBase64Url(stored.value.root()) !== toBase64Url(acc.root())) {
        problem = { at: 'frontier', size: frontier.size, reason: 'changed' };
      }
    }
  }
  return { ok: problem === null, entries: expected, checkpoints: checkpoints.size, verifiedUpTo, problem };
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
