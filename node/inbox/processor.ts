import { type Clock, type DirectoryRef, type OpenedEnvelope, type SignedCheckpoint, messageType, open } from '../../protocol/index.js';
import type { DbHandle } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { OutboxStore } from '../outbox/outbox.js';
import type { MessageService } from '../services/messages.js';
import type { OwnKeys } from '../services/keys.js';
import type { Peers } from '../services/peers.js';
import type { InboxStore, StoredEnvelope } from './inbox.js';

/**
 * Opens stored envelopes in the order they arrived and applies each exactly once. A batch is
 * opened first (pure computation), then one transaction writes every opened message (marked
 * "ack pending"), every row's new state, and a problem report for a message that did not open.
 *
 * Acks are batched: shortly after, one ack per sender covers every message still pending (up to
 * 100 ids), enqueued in the same transaction that clears their "ack pending" mark. Under load
 * that is one ack for many messages; after a crash, the marks are still there and the acks go
 * out at the next start.
 */
export interface InboxProcessor {
  runOnce(limit?: number): number;
  /** enqueue acks for every message still waiting for one; returns how many messages */
  flushAcks(): number;
  drain(): number;
  kick(): void;
}

/** how long acks wait to be batched */
const ACK_DELAY_MS = 50;

const ACK = messageType('message', 'ack');
const PROBLEM = messageType('message', 'problem-report');
const ACK_MAX_IDS = 100;
/** two nodes that cannot read each other's messages must not answer each other forever */
const PROBLEM_REPORT_INTERVAL_MS = 10 * 60_000;

export function createInboxProcessor(deps: {
  self: string;
  handle: DbHandle;
  clock: Clock;
  log: Logger;
  inbox: InboxStore;
  outbox: OutboxStore;
  keys: OwnKeys;
  peers: Peers;
  messages: MessageService;
  onEnqueued: () => void;
  /** every opened message names the directory its sender used: newer → refresh, conflict → alert */
  onDirectoryRef?: (peer: string, ref: DirectoryRef) => void;
  /** what an opened message does to the case work, inside the same transaction (never throws) */
  onMessage?: (message: OpenedEnvelope['message'], nowMs: number) => void;
  /** our latest signed audit checkpoint, carried by every ack */
  checkpoint?: () => SignedCheckpoint;
  /** a peer's checkpoint carried by its ack (after the transaction): its witness */
  onCheckpoint?: (peer: string, signed: unknown) => void;
}): InboxProcessor {
  let scheduled = false;
  const lastProblem = new Map<string, number>();

  const lastWarned = new Map<string, number>();
  const answer = (to: string, typ: string, body: Record<string, unknown>) => {
    try {
      return deps.messages.prepare({ to, typ, body });
    } catch (error) {
      // no usable prekey for the sender: the answer waits, the message itself is kept
      const now = deps.clock.now();
      if (now - (lastWarned.get(to) ?? -Infinity) > 3600_000) {
        lastWarned.set(to, now);
        deps.log.warn('cannot answer sender (no usable prekey)', { to, error: String(error) });
      }
      return null;
    }
  };

  const runOnce = (limit = 64): number => {
    const rows = deps.inbox.stored(limit);
    if (rows.length === 0) return 0;
    const nowMs = deps.clock.now();
    const opened: { row: StoredEnvelope; value: OpenedEnvelope }[] = [];
    const rejected: { row: StoredEnvelope; code: string }[] = [];
    for (const row of rows) {
      const result = open(new Uint8Array(row.envelope.buffer, row.envelope.byteOffset, row.envelope.byteLength), {
        self: deps.self,
        // a message is judged at the time it arrived, not when it is processed
        now: Math.floor(row.receivedAt / 1000),
        prekey: (kid) => deps.keys.heldPrekey(kid),
        // the inner sender must be the peer whose request signature was verified
        senderKey: (node, kid) => (node === row.sender ? deps.peers.key(node, kid) : undefined),
      });
      if (result.ok) opened.push({ row, value: result.value });
      else rejected.push({ row, code: result.code });
    }

    // problem reports are sealed before the transaction (pure computation)
    const replies: ({ id: string; enqueue: () => void } | null)[] = [];
    for (const { row, code } of rejected) {
      // the sender authenticated the transport, so it may learn why
      if (nowMs - (lastProblem.get(row.sender) ?? -Infinity) < PROBLEM_REPORT_INTERVAL_MS) continue;
      lastProblem.set(row.sender, nowMs);
      replies.push(answer(row.sender, PROBLEM, { code, about: row.id }));
    }

    deps.handle.sqlite.transaction(() => {
      for (const { row, value } of opened) {
        const m = value.message;
        deps.inbox.insertMessage({
          sender: row.sender,
          id: m.id,
          thid: m.thid,
          pthid: m.pthid ?? null,
          typ: m.typ,
          created: m.created,
          inner: value.inner,
          signature: value.signature,
          senderKid: value.senderKey.kid,
          body: JSON.stringify(m.body),
          receivedAt: row.receivedAt,
          // never acknowledge an ack or a problem report
          ackPending: !m.typ.startsWith('corridor/message/'),
        });
        deps.inbox.markProcessed(row.seq, nowMs);
        deps.onMessage?.(m, nowMs);
        if (m.typ === ACK) deps.outbox.markAcknowledged((m.body as { ackOf: string[] }).ackOf, row.sender, nowMs);
      }
      for (const { row, code } of rejected) {
        deps.inbox.markRejected(row.seq, code, nowMs);
        deps.inbox.alert({ at: nowMs, kind: 'envelope-rejected', peer: row.sender, messageId: row.id, code });
      }
      for (const reply of replies) reply?.enqueue();
    }).immediate();

    for (const { row, value } of opened) deps.onDirectoryRef?.(row.sender, value.message.dir);
    for (const { row, code } of rejected) deps.log.warn('envelope rejected', { id: row.id, sender: row.sender, code });
    if (replies.some((r) => r !== null)) deps.onEnqueued();
    for (const { row, value } of opened) {
      const carried = value.message.typ === ACK ? (value.message.body as { checkpoint?: unknown }).checkpoint : undefined;
      if (carried !== undefined) deps.onCheckpoint?.(row.sender, carried);
    }
    if (opened.length > 0) scheduleAcks();
    return rows.length;
  };

  const flushAcks = (): number => {
    let total = 0;
    for (;;) {
      const pending = deps.inbox.pendingAcks(1000);
      if (pending.size === 0) break;
      const batches: { sender: string; ids: string[]; ack: { id: string; enqueue: () => void } | null }[] = [];
      const checkpoint = deps.checkpoint?.();
      for (const [sender, ids] of pending) {
        for (let i = 0; i < ids.length; i += ACK_MAX_IDS) {
          const chunk = ids.slice(i, i + ACK_MAX_IDS);
          batches.push({ sender, ids: chunk, ack: answer(sender, ACK, { ackOf: chunk, status: 'processed', ...(checkpoint ? { checkpoint } : {}) }) });
        }
      }
      const sendable = batches.filter((b) => b.ack !== null);
      deps.handle.sqlite.transaction(() => {
        for (const b of sendable) {
          b.ack?.enqueue();
          deps.inbox.markAcked(b.sender, b.ids);
        }
      }).immediate();
      // no usable prekey for a sender: its marks stay, and the acks go once it is admitted again
      const count = sendable.reduce((n, b) => n + b.ids.length, 0);
      total += count;
      if (sendable.length > 0) deps.onEnqueued();
      if (count < 1000 || sendable.length < batches.length) break;
    }
    return total;
  };

  let ackTimer: NodeJS.Timeout | null = null;
  const scheduleAcks = () => {
    if (ackTimer) return;
    ackTimer = setTimeout(() => {
      ackTimer = null;
      try {
        flushAcks();
      } catch (error) {
        deps.log.error('acknowledging failed', { error: String(error) });
      }
    }, ACK_DELAY_MS);
    ackTimer.unref();
  };

  return {
    runOnce,
    flushAcks,
    drain() {
      let total = 0;
      for (let n = runOnce(); n > 0; n = runOnce()) total += n;
      return total + flushAcks();
    },
    kick() {
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        try {
          if (runOnce() > 0) this.kick();
        } catch (error) {
          deps.log.error('inbox processing failed', { error: String(error) });
        }
      });
    },
  };
}
