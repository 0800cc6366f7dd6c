import {
  type Clock,
  type ConsentCommitment,
  type DirectoryRef,
  createMessage,
  seal,
  sha256,
  toBase64Url,
} from '../../protocol/index.js';
import type { DbHandle } from '../db/client.js';
import type { OutboxStore } from '../outbox/outbox.js';
import type { OwnKeys } from './keys.js';
import type { Peers } from './peers.js';

/**
 * Sending a message: sign and seal it for the peer (pure computation, before the transaction),
 * then write the envelope to the outbox in the same synchronous transaction as the change that
 * caused it. Nothing is sent here; the outbox worker does that, outside any transaction.
 */
export interface OutgoingMessage {
  to: string;
  typ: string;
  body: Record<string, unknown>;
  thid?: string;
  pthid?: string;
  consent?: ConsentCommitment;
  /** seconds; 30 days by default */
  lifetime?: number;
}

export interface MessageService {
  /**
   * Seals and enqueues; `change` runs in the same transaction (synchronous: no await inside).
   * Returns the message id.
   */
  send(message: OutgoingMessage, change?: () => void): string;
  /** seal now, enqueue later inside a transaction the caller runs (several messages, one change) */
  prepare(message: OutgoingMessage): { id: string; enqueue: () => void };
}

export function createMessageService(deps: {
  self: string;
  handle: DbHandle;
  clock: Clock;
  keys: OwnKeys;
  peers: Peers;
  outbox: OutboxStore;
  directory: () => DirectoryRef;
  onEnqueued: () => void;
}): MessageService {
  const prepare = (m: OutgoingMessage) => {
    const nowMs = deps.clock.now();
    const { prekey, maxBytes } = deps.peers.prekeyFor(m.to, Math.floor(nowMs / 1000));
    const inner = createMessage(
      {
        typ: m.typ,
        from: deps.self,
        kid: deps.keys.nodeKey.kid,
        to: m.to,
        dir: deps.directory(),
        body: m.body,
        ...(m.thid ? { thid: m.thid } : {}),
        ...(m.pthid ? { pthid: m.pthid } : {}),
        ...(m.consent ? { consent: m.consent } : {}),
        ...(m.lifetime ? { lifetime: m.lifetime } : {}),
      },
      nowMs,
    );
    const sealed = seal(inner, deps.keys.nodeKey, prekey, { maxBytes });
    const item = {
      id: inner.id,
      to: inner.to,
      thid: inner.thid,
      typ: inner.typ,
      envelope: sealed.envelope,
      ctSha256: toBase64Url(sha256(sealed.envelope)),
      createdAt: nowMs,
      expiresAt: inner.expires * 1000,
    };
    return { id: inner.id, enqueue: () => deps.outbox.enqueue(item) };
  };

  return {
    prepare,
    send(message, change) {
      const prepared = prepare(message);
      deps.handle.sqlite.transaction(() => {
        change?.();
        prepared.enqueue();
      }).immediate();
      deps.onEnqueued();
      return prepared.id;
    },
  };
}
