import type Database from 'better-sqlite3-multiple-ciphers';
import {
  type Checkpoint,
  type Clock,
  type SigningKey,
  type TrustedNodeKey,
  checkWitness,
  fetchConsistencyProof,
  randomBytes,
  toBase64Url,
  verifyCheckpoint,
} from '../../protocol/index.js';
import type { Logger } from '../logger.js';

/**
 * Partners' checkpoints held as witnesses of their logs (cross-witnessing, ADR 0016). A receipt
 * carries the partner's latest signed checkpoint; we keep the largest one seen. When a new one
 * comes and we hold an older one, we ask the partner for the consistency proof between the two
 * (a signed federation GET) and check it: a partner that rewrote its history cannot produce it,
 * and the operator gets an `audit-fork` alert. A partner we cannot reach is asked again on the
 * next receipt; nothing is dropped.
 */

export interface WitnessRow {
  node: string;
  size: number;
  root: string;
  verdict: 'consistent' | 'forked' | 'unchecked';
  checkedAt: number;
}

export interface WitnessDeps {
  sqlite: Database.Database;
  clock: Clock;
  log: Logger;
  self: string;
  nodeKey: () => SigningKey;
  peerKey: (node: string, kid: string) => TrustedNodeKey | undefined;
  peerUrl: (node: string) => string | undefined;
  fetch: typeof fetch;
  timeoutMs: number;
  alert: (a: { at: number; kind: string; peer?: string | null; code?: string | null }) => void;
}

export function createWitnesses(deps: WitnessDeps) {
  const get = deps.sqlite.prepare<[string], WitnessRow & { signed: string }>('SELECT node, size, root, signed, verdict, checkedAt FROM audit_witness WHERE node = ?');
  const put = deps.sqlite.prepare<[string, number, string, string, number, string]>(
    'INSERT INTO audit_witness (node, size, root, signed, checkedAt, verdict) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(node) DO UPDATE SET size = excluded.size, root = excluded.root, signed = excluded.signed, checkedAt = excluded.checkedAt, verdict = excluded.verdict',
  );
  const mark = deps.sqlite.prepare<[number, string, string]>('UPDATE audit_witness SET checkedAt = ?, verdict = ? WHERE node = ?');
  const all = deps.sqlite.prepare<[], WitnessRow>('SELECT node, size, root, verdict, checkedAt FROM audit_witness ORDER BY node');
  // one check at a time per partner: receipts come in bursts
  const busy = new Set<string>();

  /** a partner's signed checkpoint from a verified receipt; never throws */
  async function receive(peer: string, signed: unknown): Promise<WitnessRow['verdict'] | 'refused' | 'later'> {
    const kid = (signed as { kid?: unknown } | null)?.kid;
    const key = typeof kid === 'string' ? deps.peerKey(peer, kid) : undefined;
    const checked = key ? verifyCheckpoint(signed, key) : null;
    if (!checked || !checked.ok) {
      deps.log.warn('a partner checkpoint that does not verify', { peer });
      return 'refused';
    }
    const current = checked.value;
    const held = get.get(peer);
    const now = deps.clock.now();
    if (!held) {
      put.run(peer, current.size, current.root, JSON.stringify(signed), now, 'unchecked');
      return 'unchecked';
    }
    if (held.verdict === 'forked') return 'forked'; // the evidence stays as it was
    if (held.size === current.size && held.root === current.root) {
      mark.run(now, held.verdict, peer);
      return held.verdict;
    }
    if (busy.has(peer)) return 'later';
    busy.add(peer);
    try {
      const stored = JSON.parse(held.signed) as { checkpoint: Checkpoint };
      const [from, to] = held.size <= current.size ? [held.size, current.size] : [current.size, held.size];
      let proof: Uint8Array[] = [];
      if (from !== to && from !== 0) {
        const url = deps.peerUrl(peer);
        if (!url) return 'later';
        const fetched = await fetchConsistencyProof(
          { fetch: deps.fetch, baseUrl: url, from: deps.self, signer: deps.nodeKey(), now: Math.floor(deps.clock.now() / 1000), nonce: toBase64Url(randomBytes(16)), timeoutMs: deps.timeoutMs },
          from,
          to,
        );
        // unreachable: ask again on the next receipt. An answer that is not a proof counts as a refusal.
        if (!fetched.ok && fetched.code === 'PeerUnavailable') return 'later';
        proof = fetched.ok ? fetched.value : [];
      }
      const verdict = checkWitness(stored.checkpoint, current, proof);
      if (!verdict.ok) return 'refused';
      const at = deps.clock.now();
      if (verdict.value.verdict === 'forked') {
        mark.run(at, 'forked', peer);
        deps.alert({ at, kind: 'audit-fork', peer, code: null });
        deps.log.error('a partner rewrote its audit log', { peer, reason: verdict.value.reason, heldSize: held.size, newSize: current.size });
        return 'forked';
      }
      // keep the larger of the two
      if (current.size >= held.size) put.run(peer, current.size, current.root, JSON.stringify(signed), at, 'consistent');
      else mark.run(at, 'consistent', peer);
      return 'consistent';
    } finally {
      busy.delete(peer);
    }
  }

  return { receive, list: (): WitnessRow[] => all.all() };
}

export type Witnesses = ReturnType<typeof createWitnesses>;
