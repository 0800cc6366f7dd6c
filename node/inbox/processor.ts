import { type Clock, type OpenedEnvelope, messageType, open } from '../../protocol/index.js';
import type { DbHandle } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { OutboxStore } from '../outbox/outbox.js';
import type { MessageService } from '../services/messages.js';
import type { OwnKeys } from '../services/keys.js';
import type { Peers } from '../services/peers.js';
import type { InboxStore, StoredEnvelope } from './inbox.js';

/**
 * Opens stored envelopes in the order they arrived and applies each exactly once: the opened
 * message, the inbox row's new state and the answer to the sender (an ack, or a problem report
 * for a message that did not open) are written in one transaction.
 */
export interface InboxProcessor {
  runOnce(limit?: number): number;
  drain(): number;
  kick(): void;
}

const ACK = messageType('message', 'ack');
const PROBLEM = messageType('message', 'problem-report');

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
}): InboxProcessor {
  let scheduled = false;

  const answer = (row: StoredEnvelope, typ: string, body: Record<string, unknown>, thid?: string) => {
    try {
      return deps.messages.prepare({ to: row.sender, typ, body, ...(thid ? { thid } : {}) });
    } catch (error) {
      // no prekey for the sender yet: the answer is skipped, the message itself is kept
      deps.log.warn('cannot answer sender', { id: row.id, sender: row.sender, error: String(error) });
      return null;
    }
  };

  const apply = (row: StoredEnvelope, opened: OpenedEnvelope) => {
    const m = opened.message;
    const nowMs = deps.clock.now();
    const reply = m.typ.startsWith('corridor/message/') ? null : answer(row, ACK, { ackOf: [m.id], status: 'processed' }, m.thid);
    deps.handle.sqlite.transaction(() => {
      deps.inbox.insertMessage({
        sender: row.sender,
        id: m.id,
        thid: m.thid,
        pthid: m.pthid ?? null,
        typ: m.typ,
        created: m.created,
        inner: opened.inner,
        signature: opened.signature,
        senderKid: opened.senderKey.kid,
        body: JSON.stringify(m.body),
        receivedAt: row.receivedAt,
      });
      deps.inbox.markProcessed(row.seq, nowMs);
      if (m.typ === ACK) deps.outbox.markAcknowledged((m.body as { ackOf: string[] }).ackOf, row.sender, nowMs);
      reply?.enqueue();
    }).immediate();
    if (reply) deps.onEnqueued();
  };

  // at most one problem report per sender every 10 minutes: two nodes that cannot read each
  // other's messages must not answer each other's problem reports forever
  const lastProblem = new Map<string, number>();
  const reject = (row: StoredEnvelope, code: string) => {
    const nowMs = deps.clock.now();
    // the sender authenticated the transport, so it may learn why
    const quiet = nowMs - (lastProblem.get(row.sender) ?? -Infinity) < 10 * 60_000;
    if (!quiet) lastProblem.set(row.sender, nowMs);
    const reply = quiet ? null : answer(row, PROBLEM, { code, about: row.id });
    deps.handle.sqlite.transaction(() => {
      deps.inbox.markRejected(row.seq, code, nowMs);
      deps.inbox.alert({ at: nowMs, kind: 'envelope-rejected', peer: row.sender, messageId: row.id, code });
      reply?.enqueue();
    }).immediate();
    deps.log.warn('envelope rejected', { id: row.id, sender: row.sender, code });
    if (reply) deps.onEnqueued();
  };

  const runOnce = (limit = 64): number => {
    const rows = deps.inbox.stored(limit);
    for (const row of rows) {
      const envelope = new Uint8Array(row.envelope.buffer, row.envelope.byteOffset, row.envelope.byteLength);
      const opened = open(envelope, {
        self: deps.self,
        // a message is judged at the time it arrived, not when it is processed
        now: Math.floor(row.receivedAt / 1000),
        prekey: (kid) => deps.keys.heldPrekey(kid),
        senderKey: (node, kid) => (node === row.sender ? deps.peers.key(node, kid) : undefined),
      });
      if (opened.ok) apply(row, opened.value);
      else reject(row, opened.code);
    }
    return rows.length;
  };

  return {
    runOnce,
    drain() {
      let total = 0;
      for (let n = runOnce(); n > 0; n = runOnce()) total += n;
      return total;
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
