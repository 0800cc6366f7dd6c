import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { newId, randomBytes, sha256, toBase64Url } from '../../protocol/index.js';
import { CAP_MS, HOUR, PEER, SELF, ids, jitter, receiver, useOutboxHarness } from '../helpers/outbox-harness.js';
import { DAY, T0 } from '../helpers/time.js';

/**
 * The outbox worker's states (queued → sending → delivered → acknowledged), its retries with
 * exponential backoff and full jitter, and Retry-After. The store and worker run on a real SQLite
 * file against an msw peer with a manual clock (test/helpers/outbox-harness.ts).
 */

const { setup } = useOutboxHarness();

describe('outbox worker: states queued → sending → delivered → acknowledged', () => {
  it('(a) success: delivered on the first attempt, the verified receipt stored, then acknowledged', async () => {
    const h = setup();
    const id = h.enqueue();
    expect(h.row(id)).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: T0 * 1000, lastAttemptAt: null });
    const statesInFlight: string[] = [];
    h.peer = (rid) => {
      statesInFlight.push(h.row(rid).state);
      return 'ok';
    };
    expect(await h.worker.drain()).toBe(1);
    expect(statesInFlight).toEqual(['sending']);
    expect(ids(h.received)).toEqual([id]);
    expect(h.row(id)).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 202, lastError: null, deliveredAt: T0 * 1000, lastAttemptAt: T0 * 1000 });
    const receipt = JSON.parse(h.store.receipt(id) ?? 'null') as { receipt: { id: string; from: string; to: string; kid: string } };
    expect(receipt.receipt).toMatchObject({ id, from: SELF, to: PEER, kid: receiver.kid });
    // nothing more to do
    h.clock.advance({ days: 1 });
    expect(await h.worker.drain()).toBe(0);
    expect(h.received).toHaveLength(1);
    // the peer's ack moves it on
    h.clock.advance({ minutes: 1 });
    expect(h.store.markAcknowledged([id], PEER, h.clock.now())).toBe(1);
    expect(h.row(id)).toMatchObject({ state: 'acknowledged', acknowledgedAt: h.clock.now() });
    expect(h.store.receipt(id)).not.toBeNull();
    expect(h.store.overdue(h.clock.now() + 30 * DAY * 1000)).toEqual([]);
  });

  it('an ack that overtakes the answer to our own request: acknowledged, and the receipt is still stored', async () => {
    const h = setup();
    const id = h.enqueue();
    h.peer = (rid) => {
      // the peer opened the message and its ack arrived before our PUT got its answer
      h.store.markAcknowledged([rid], PEER, h.clock.now());
      return 'ok';
    };
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ state: 'acknowledged', lastStatus: 202 });
    expect(h.store.receipt(id)).not.toBeNull();
  });

  it('a message to a peer without a known URL ends failed NotFound, visible', async () => {
    const h = setup();
    const now = h.clock.now();
    const id = newId(now);
    const envelope = randomBytes(64);
    h.store.enqueue({ id, to: 'node:nobody', thid: id, typ: 't', envelope, ctSha256: toBase64Url(sha256(envelope)), createdAt: now, expiresAt: now + DAY * 1000 });
    h.enqueued++;
    await h.worker.drain();
    expect(h.received).toEqual([]);
    expect(h.row(id)).toMatchObject({ state: 'failed', lastError: 'NotFound' });
    expect(h.store.overdue(h.clock.now()).map((r) => r.id)).toEqual([id]);
  });
});

describe('outbox worker: retries with exponential backoff and full jitter', () => {
  it('(b) 500, 500, then 202: queued in between, attempts counted, next attempt = 0.5 × min(cap, base·2^(n-1))', async () => {
    const h = setup();
    h.peer = (_id, attempt) => (attempt <= 2 ? new HttpResponse(null, { status: 500 }) : 'ok');
    const id = h.enqueue();
    const t0 = h.clock.now();

    await h.worker.drain();
    expect(jitter(1)).toBe(15_000);
    expect(h.row(id)).toMatchObject({ state: 'queued', attempts: 1, lastStatus: 500, lastError: 'PeerUnavailable', lastAttemptAt: t0, nextAttemptAt: t0 + jitter(1) });

    // not a millisecond early
    h.clock.advance({ ms: jitter(1) - 1 });
    expect(await h.worker.drain()).toBe(0);
    expect(h.received).toHaveLength(1);
    h.clock.advance({ ms: 1 });
    const t1 = h.clock.now();
    await h.worker.drain();
    expect(jitter(2)).toBe(30_000);
    expect(h.row(id)).toMatchObject({ state: 'queued', attempts: 2, lastStatus: 500, lastError: 'PeerUnavailable', lastAttemptAt: t1, nextAttemptAt: t1 + jitter(2) });

    h.clock.advance({ ms: jitter(2) - 1 });
    expect(await h.worker.drain()).toBe(0);
    h.clock.advance({ ms: 1 });
    const t2 = h.clock.now();
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 202, lastError: null, lastAttemptAt: t2, deliveredAt: t2 });
    expect(h.store.receipt(id)).not.toBeNull();
    expect(h.received.map((r) => r.at)).toEqual([t0, t1, t2]);
  });

  it('the delay doubles per attempt up to the cap (random fixed at 0.5)', async () => {
    const h = setup();
    h.peer = () => new HttpResponse(null, { status: 503 });
    const id = h.enqueue();
    const delays: number[] = [];
    for (let n = 1; n <= 14; n++) {
      await h.worker.drain();
      const row = h.row(id);
      expect(row.attempts).toBe(n);
      delays.push(row.nextAttemptAt - (row.lastAttemptAt ?? NaN));
      h.clock.set(row.nextAttemptAt);
    }
    expect(delays).toEqual(Array.from({ length: 14 }, (_, i) => jitter(i + 1)));
    expect(delays.slice(0, 4)).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(Math.max(...delays)).toBe(CAP_MS / 2);
  });

  it('(c) 429 with Retry-After: 3600 → the next attempt is not before now + 3600 s, though the jitter is 15 s', async () => {
    const h = setup();
    h.peer = (_id, attempt) => (attempt === 1 ? HttpResponse.json({ error: { code: 'RateLimited', message: 'slow down' } }, { status: 429, headers: { 'retry-after': '3600' } }) : 'ok');
    const id = h.enqueue();
    const t0 = h.clock.now();
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ state: 'queued', attempts: 1, lastStatus: 429, lastError: 'RateLimited', nextAttemptAt: t0 + 3_600_000 });
    expect(jitter(1)).toBeLessThan(3_600_000);
    h.clock.set(t0 + jitter(1));
    expect(await h.worker.drain()).toBe(0);
    // the peer answering something else (another delivery, a request of its own) wakes the
    // backlog for it, but not before its Retry-After
    expect(h.store.wakePeer(PEER, h.clock.now())).toBe(0);
    expect(h.row(id).nextAttemptAt).toBe(t0 + 3_600_000);
    h.clock.set(t0 + 3_600_000 - 1);
    expect(await h.worker.drain()).toBe(0);
    h.clock.set(t0 + 3_600_000);
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('a Retry-After shorter than the jitter does not shorten it; one as an HTTP-date is honoured', async () => {
    const h = setup();
    const t0 = h.clock.now();
    h.peer = (_id, attempt) =>
      attempt === 1
        ? new HttpResponse(null, { status: 503, headers: { 'retry-after': '1' } })
        : new HttpResponse(null, { status: 503, headers: { 'retry-after': new Date(t0 + jitter(1) + 2 * HOUR).toUTCString() } });
    const id = h.enqueue();
    await h.worker.drain();
    expect(h.row(id).nextAttemptAt).toBe(t0 + jitter(1));
    h.clock.set(t0 + jitter(1));
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ attempts: 2, nextAttemptAt: t0 + jitter(1) + 2 * HOUR });
  });

  it('a Retry-After past the message expiry stops at the expiry, and the message ends expired', async () => {
    const h = setup();
    h.peer = () => new HttpResponse(null, { status: 429, headers: { 'retry-after': String(3 * 24 * 3600) } });
    const id = h.enqueue({ lifetimeMs: DAY * 1000 });
    const t0 = h.clock.now();
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ state: 'queued', nextAttemptAt: t0 + DAY * 1000 });
    h.clock.set(t0 + DAY * 1000);
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ state: 'expired', attempts: 1, lastStatus: 429, lastError: 'RateLimited' });
    expect(h.received).toHaveLength(1);
  });
});
