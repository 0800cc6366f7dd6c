import type Database from 'better-sqlite3-multiple-ciphers';
import { type Clock, type KeyRevocation, LIMITS, ProtocolError, type SigningKey, entryNodeKeys, fromBase64Url, revokeNodeKey } from '../../protocol/index.js';
import type { AuditRecorder } from '../audit/log.js';
import type { Directory } from '../directory/directory.js';
import type { Logger } from '../logger.js';
import type { OwnKeys } from './keys.js';
import { atomically as inTransaction } from '../db/client.js';

/**
 * The node key's life (ADR 0017): a new key certified by the org key and published in our own
 * entry, switched to only once the directory version this node holds certifies it (so peers
 * that hold the same version verify it); the old key's certificate stays published until what
 * it signed has expired. A revocation is signed by the org key into our entry; once a version
 * carries it, every node refuses the key, and messages it already accepted from a revoked key
 * signed at or after `compromisedSince` are flagged for the operator (never deleted).
 */

export interface KeyLifecycleDeps {
  self: { node: string; org: string };
  keys: OwnKeys;
  directory: () => Directory;
  /** the org key, or a `OrgKeyAbsent` error saying what to do */
  orgKey: () => SigningKey;
  sqlite: Database.Database;
  clock: Clock;
  log: Logger;
  /** rotate the node key on schedule once it has signed this long (days) */
  rotateAfterDays: number;
  alert(a: { at: number; kind: string; peer?: string | null; messageId?: string | null; code?: string | null }): void;
  /** the audit log: `key-rotated` when a node key is made or switched to, `key-revoked`, each in the change's own transaction */
  audit: AuditRecorder;
}

export interface NodeKeyRotation {
  /** the new key, pending until the directory carries it */
  pending: string;
  created: boolean;
  /** the seq of our entry as submitted to the stewards */
  submitted: number;
}

export function createKeyLifecycle(deps: KeyLifecycleDeps) {
  const atomically = <T>(fn: () => T): T => inTransaction(deps.sqlite, fn);
  const q = {
    revokedPeerKeys: deps.sqlite.prepare(`SELECT node, kid, compromisedSince FROM peer_key WHERE compromisedSince IS NOT NULL`),
    signedAfter: deps.sqlite.prepare(
      `SELECT m.id FROM message m WHERE m.sender = ? AND m.senderKid = ? AND m.created >= ?
         AND NOT EXISTS (SELECT 1 FROM alert a WHERE a.kind = 'signed-after-compromise' AND a.peer = m.sender AND a.messageId = m.id)`,
    ),
  };

  /** our node keys the held directory version certifies and does not revoke */
  const certifiedNow = (): Set<string> => {
    const own = deps.directory().store.orgEntry(deps.self.org);
    const orgPublicKey = own ? fromBase64Url(own.orgPublicKey) : null;
    if (!own || !orgPublicKey) return new Set();
    return new Set(entryNodeKeys(own.entry, orgPublicKey).filter((k) => k.node === deps.self.node && k.compromisedSince === undefined).map((k) => k.kid));
  };

  /** switch to a pending key if the held version certifies it */
  const activate = (nowMs: number) => {
    const certified = certifiedNow();
    const switched = atomically(() => {
      const done = deps.keys.activatePending(certified, Math.floor(nowMs / 1000));
      if (done) deps.audit.record({ kind: 'key-rotated', actor: 'self', subject: { kid: done.activated } });
      return done;
    });
    if (switched) deps.log.info('node key switched', { kid: switched.activated, retired: switched.retired });
    else if (!certified.has(deps.keys.nodeKey.kid) && deps.directory().store.orgEntry(deps.self.org)?.entry.nodes.some((n) => n.node === deps.self.node && n.revocations.some((r) => r.kid === deps.keys.nodeKey.kid))) {
      deps.log.error('the directory revokes the key this node signs with, and certifies no successor it holds: run corridor keys rotate --node-key');
    }
    return switched;
  };

  /** messages accepted earlier from a key now revoked, signed at or after its compromisedSince */
  const flagSignedAfterCompromise = (nowMs: number): number => {
    let flagged = 0;
    for (const k of q.revokedPeerKeys.all() as { node: string; kid: string; compromisedSince: number }[]) {
      for (const m of q.signedAfter.all(k.node, k.kid, k.compromisedSince) as { id: string }[]) {
        deps.alert({ at: nowMs, kind: 'signed-after-compromise', peer: k.node, messageId: m.id, code: 'KeyRevoked' });
        flagged++;
      }
    }
    if (flagged > 0) deps.log.warn('messages accepted earlier were signed by a key since revoked', { count: flagged });
    return flagged;
  };

  /** before anything is written: the org key is here and there is an entry to re-sign */
  const preconditions = (): SigningKey => {
    const orgKey = deps.orgKey();
    if (!deps.directory().own.ownEntry()) throw new ProtocolError('NotFound', "this organisation has no directory entry yet: import its profile first (corridor directory import-hsds)");
    return orgKey;
  };

  /** a new node key and our entry re-signed with it (the org key is needed now) */
  const rotateNodeKey = (nowMs: number): NodeKeyRotation => {
    const orgKey = preconditions();
    const { kid, created, seq } = atomically(() => {
      const made = deps.keys.createPendingNodeKey(orgKey, Math.floor(nowMs / 1000));
      const { seq } = deps.directory().own.resubmitOwn({ nowMs });
      if (made.created) deps.audit.record({ kind: 'key-rotated', subject: { kid: made.kid } });
      return { ...made, seq };
    });
    deps.log.info('new node key certified, waiting for the directory', { kid, created });
    return { pending: kid, created, submitted: seq };
  };

  /**
   * Revoke one of our node keys. Revoking the active key also makes a new one (the node must go
   * on signing with something the stewards will publish in the same version).
   */
  const revoke = (input: { kid: string; compromisedSince: number; reason: KeyRevocation['reason'] }, nowMs: number) => {
    const now = Math.floor(nowMs / 1000);
    const target = deps.keys.nodeKeys().find((k) => k.kid === input.kid);
    if (!target) throw new ProtocolError('NotFound', 'kid: not a node key of this node');
    if (input.compromisedSince > now + LIMITS.clockSkewSeconds) throw new ProtocolError('InvalidRequest', 'compromisedSince: in the future');
    if (deps.directory().own.ownRevocations().some((r) => r.kid === input.kid)) throw new ProtocolError('InvalidRequest', 'kid: already revoked');
    const orgKey = preconditions();
    const revocation = revokeNodeKey(orgKey, deps.self.org, { node: deps.self.node, kid: input.kid, compromisedSince: input.compromisedSince, revokedAt: now, reason: input.reason });
    const { pending, seq } = atomically(() => {
      let pending: string | null = null;
      if (target.state === 'active') {
        pending = deps.keys.createPendingNodeKey(orgKey, now).kid;
        deps.audit.record({ kind: 'key-rotated', subject: { kid: pending } });
      }
      const { seq } = deps.directory().own.resubmitOwn({ nowMs, revoke: revocation });
      deps.audit.record({ kind: 'key-revoked', subject: { kid: input.kid } });
      return { pending, seq };
    });
    deps.log.warn('node key revoked, waiting for the stewards to publish', { kid: input.kid });
    return { revoked: input.kid, compromisedSince: input.compromisedSince, revokedAt: now, pending, submitted: seq };
  };

  let lastWarned = -Infinity;
  /** the schedule (every few hours): switch if due, rotate at the configured age when the org key is here */
  const tick = (nowMs: number) => {
    activate(nowMs);
    const keys = deps.keys.nodeKeys();
    if (keys.some((k) => k.state === 'pending')) return null;
    const active = keys.find((k) => k.state === 'active');
    if (!active?.activatedAt) return null;
    const dueAt = Math.min(active.activatedAt + deps.rotateAfterDays * 86_400_000, (active.notAfter - 30 * 86_400) * 1000);
    if (nowMs < dueAt) return null;
    if (!deps.directory().store.orgEntry(deps.self.org)) return null;
    try {
      return rotateNodeKey(nowMs);
    } catch (error) {
      if (error instanceof ProtocolError && error.code === 'OrgKeyAbsent') {
        if (nowMs - lastWarned > 86_400_000) {
          lastWarned = nowMs;
          deps.log.warn('the node key is due for rotation: bring the org key and run corridor keys rotate --node-key');
        }
        return null;
      }
      throw error;
    }
  };

  return { certifiedNow, activate, flagSignedAfterCompromise, rotateNodeKey, revoke, tick };
}

export type KeyLifecycle = ReturnType<typeof createKeyLifecycle>;
