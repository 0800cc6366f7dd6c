import { type Clock, type SignedDeliveryReceipt, type SigningKey, type TrustedNodeKey, deliverEnvelope, randomBytes, toBase64Url } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { OutboxStore } from './outbox.js';
import { type RetryPolicy, nextAttemptAt } from './retry.js';

/**
 * Sends what the outbox holds, outside any transaction: claims due rows, PUTs each envelope
 * (the same bytes on every attempt, a fresh request signature), and records the outcome.
 * Tests call `drain()`; a running node calls `start()`, and `kick()` after each enqueue.
 */
export interface OutboxWorkerDeps {
  store: OutboxStore;
  clock: Clock;
  fetch: typeof fetch;
  log: Logger;
  self: string;
  nodeKey: () => SigningKey;
  peerUrl: (node: string) => string | undefined;
  peerKey: (node: string, kid: string) => TrustedNodeKey | undefined;
  /** called after a delivery succeeds: the peer is reachable, so its backlog may go now */
  onDelivered?: (peer: string, id: string) => void;
  /** the verified receipt (its audit checkpoint is the peer's witness), after it is stored */
  onReceipt?: (peer: string, receipt: SignedDeliveryReceipt) => void;
  policy: RetryPolicy;
  concurrency: number;
  timeoutMs: number;
  pollMs: number;
  random?: () => number;
  /**
   * our node key changed recently (ADR 0017): a peer that answers 401 may not hold the directory
   * version with the new key yet, so a 401 is retried instead of failing the message
   */
  keyInTransition?: () => boolean;
}

export interface OutboxWorker {
  runOnce(): Promise<number>;
  drain(maxRounds?: number): Promise<number>;
  start(): void;
  stop(): Promise<void>;
  kick(): void;
}

export function createOutboxWorker(deps: OutboxWorkerDeps): OutboxWorker {
  const random = deps.random ?? Math.random;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;

  const sendOne = async (row: ReturnType<OutboxStore['claim']>[number]) => {
    const nowMs = deps.clock.now();
    const url = deps.peerUrl(row.to);
    if (!url) {
      deps.store.markFailed(row.id, 'failed', null, 'NotFound');
      deps.log.warn('no such peer', { id: row.id, to: row.to });
      return;
    }
    const envelope = new Uint8Array(row.envelope.buffer, row.envelope.byteOffset, row.envelope.byteLength);
    const outcome = await deliverEnvelope({
      fetch: deps.fetch,
      baseUrl: url,
      envelope,
      id: row.id,
      from: deps.self,
      to: row.to,
      signer: deps.nodeKey(),
      receiverKeys: (kid) => deps.peerKey(row.to, kid),
      now: Math.floor(nowMs / 1000),
      nonce: toBase64Url(randomBytes(16)),
      timeoutMs: deps.timeoutMs,
    });
    const after = deps.clock.now();
    if (outcome.kind === 'delivered') {
      deps.store.markDelivered(row.id, JSON.stringify(outcome.receipt), outcome.status, after);
      deps.log.debug('delivered', { id: row.id, to: row.to });
      deps.onDelivered?.(row.to, row.id);
      deps.onReceipt?.(row.to, outcome.receipt);
      return;
    }
    if (outcome.kind === 'permanent' && !(outcome.status === 401 && deps.keyInTransition?.() === true)) {
      deps.store.markFailed(row.id, 'failed', outcome.status, outcome.code);
      deps.log.warn('delivery refused', { id: row.id, to: row.to, status: outcome.status, code: outcome.code });
      return;
    }
    if (outcome.kind === 'permanent') deps.log.info('peer does not know our new node key yet: retrying', { id: row.id, to: row.to });
    const retryAfterMs = outcome.kind === 'retry' ? outcome.retryAfterMs : null;
    const next = nextAttemptAt({ policy: deps.policy, attempts: row.attempts, nowMs: after, expiresAtMs: row.expiresAt, retryAfterMs, random });
    if (next === 'expired') {
      deps.store.markFailed(row.id, 'expired', outcome.status, outcome.code);
      deps.log.warn('expired undelivered', { id: row.id, to: row.to });
    } else {
      deps.store.markRetry(row.id, next, outcome.status, outcome.code, retryAfterMs === null ? null : after + retryAfterMs);
      deps.log.debug('retry later', { id: row.id, to: row.to, code: outcome.code, inMs: next - after });
    }
  };

  const runOnce = async (): Promise<number> => {
    const nowMs = deps.clock.now();
    const expired = deps.store.expire(nowMs);
    if (expired > 0) deps.log.warn('messages expired undelivered', { count: expired });
    const rows = deps.store.claim(nowMs, deps.concurrency);
    await Promise.all(rows.map((row) => sendOne(row).catch((error: unknown) => {
      // @NOTE a bug or a database error: the row stays `sending` and its lease brings it back
      deps.log.error('send failed unexpectedly', { id: row.id, error: String(error) });
    })));
    return rows.length + expired;
  };

  // a kick that comes while the loop is busy is remembered, so the next sleep returns at once
  let kicked = false;
  const poke = () => {
    kicked = true;
    wake?.();
  };
  const sleep = (ms: number) => {
    if (kicked) {
      kicked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      if (timer) clearTimeout(timer);
      timer = null;
      wake = null;
      kicked = false;
    });
  };

  return {
    runOnce,
    async drain(maxRounds = 10_000) {
      let total = 0;
      for (let i = 0; i < maxRounds; i++) {
        const n = await runOnce();
        total += n;
        if (n === 0) break;
      }
      return total;
    },
    /**
     * The running node's loop: keeps up to `concurrency` deliveries in flight and claims more as
     * each one finishes (a slow peer does not hold up the others), sleeps until the next item is
     * due or until `kick()`.
     */
    start() {
      if (running) return;
      running = true;
      const inFlight = new Set<Promise<void>>();
      let lastExpiry = Number.NEGATIVE_INFINITY;
      loop = (async () => {
        while (running) {
          let claimed = 0;
          try {
            const nowMs = deps.clock.now();
            if (nowMs - lastExpiry >= 1000) {
              lastExpiry = nowMs;
              const expired = deps.store.expire(nowMs);
              if (expired > 0) deps.log.warn('messages expired undelivered', { count: expired });
            }
            const free = deps.concurrency - inFlight.size;
            const rows = free > 0 ? deps.store.claim(nowMs, free) : [];
            claimed = rows.length;
            for (const row of rows) {
              const p: Promise<void> = sendOne(row)
                .catch((error: unknown) => deps.log.error('send failed unexpectedly', { id: row.id, error: String(error) }))
                .finally(() => {
                  inFlight.delete(p);
                  poke();
                });
              inFlight.add(p);
            }
          } catch (error) {
            deps.log.error('outbox round failed', { error: String(error) });
          }
          if (!running) break;
          if (claimed > 0 && inFlight.size < deps.concurrency) continue;
          let wait = deps.pollMs;
          try {
            const due = deps.store.nextDueAt();
            if (inFlight.size < deps.concurrency && due !== null) wait = Math.max(0, Math.min(deps.pollMs, due - deps.clock.now()));
          } catch (error) {
            deps.log.error('outbox round failed', { error: String(error) });
          }
          await sleep(wait);
        }
        await Promise.allSettled([...inFlight]);
      })();
    },
    async stop() {
      running = false;
      poke();
      await loop;
      loop = null;
    },
    kick() {
      poke();
    },
  };
}
