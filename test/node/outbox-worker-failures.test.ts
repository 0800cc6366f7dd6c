import { HttpResponse, delay } from 'msw';
import { describe, expect, it } from 'vitest';
import { OVERDUE_MS } from '../../node/outbox/outbox.js';
import { type Answer, CAP_MS, HOUR, PEER, jitter, useOutboxHarness } from '../helpers/outbox-harness.js';
import { DAY } from '../helpers/time.js';

/**
 * The outbox worker when the peer will not take a message: permanent refusals, hangs, bad
 * answers, network errors, a peer down for days; and that no row is ever deleted on the way.
 * The store and worker run on a real SQLite file against an msw peer with a manual clock
 * (test/helpers/outbox-harness.ts).
 */

const { setup } = useOutboxHarness();

describe('outbox worker: permanent refusals, hangs and bad answers', () => {
  it('(d) 410 → failed at once, lastStatus 410 and the code, on the undelivered list immediately, never retried', async () => {
    const h = setup();
    const id = h.enqueue();
    const other = h.enqueue();
    h.peer = (rid) => (rid === id ? HttpResponse.json({ error: { code: 'Expired', message: 'the message has expired' } }, { status: 410 }) : new HttpResponse(null, { status: 410 }));
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ state: 'failed', attempts: 1, lastStatus: 410, lastError: 'Expired' });
    expect(h.row(other)).toMatchObject({ state: 'failed', attempts: 1, lastStatus: 410, lastError: 'Rejected' });
    // the operator sees both now, not 24 h later
    expect(h.store.overdue(h.clock.now()).map((r) => r.id)).toEqual([id, other]);
    expect(h.store.counts()).toEqual({ failed: 2 });
    h.clock.advance({ days: 40 });
    expect(await h.worker.drain()).toBe(0);
    expect(h.received).toHaveLength(2);
    expect(h.row(id).state).toBe('failed');
  });

  it('(e) a peer that hangs: after the timeout the attempt is recorded as a retry (PeerUnavailable)', async () => {
    const h = setup({ timeoutMs: 200 });
    h.peer = async () => {
      await delay('infinite');
      return new HttpResponse(null, { status: 202 });
    };
    const id = h.enqueue();
    const t0 = h.clock.now();
    const started = performance.now();
    await h.worker.drain();
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(2000);
    expect(h.row(id)).toMatchObject({ state: 'queued', attempts: 1, lastStatus: null, lastError: 'PeerUnavailable', nextAttemptAt: t0 + jitter(1) });
    // the peer recovers
    h.peer = () => 'ok';
    h.clock.set(t0 + jitter(1));
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('(f) 200 with garbage JSON → retry BadResponse, not delivered, no receipt stored', async () => {
    const h = setup();
    h.peer = () => new HttpResponse('{"receipt": {"id": ', { status: 200, headers: { 'content-type': 'application/json' } });
    const id = h.enqueue();
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ state: 'queued', attempts: 1, lastStatus: 200, lastError: 'BadResponse', deliveredAt: null });
    expect(h.store.receipt(id)).toBeNull();
  });

  it('a network error → retry PeerUnavailable', async () => {
    const h = setup();
    h.peer = () => HttpResponse.error();
    const id = h.enqueue();
    await h.worker.drain();
    expect(h.row(id)).toMatchObject({ state: 'queued', attempts: 1, lastStatus: null, lastError: 'PeerUnavailable' });
  });
});

describe('outbox worker: a peer down for days', () => {
  it('(g) 10 days down: the 3-day message ends expired (kept, visible), the 30-day one is still queued, delays never above the cap', async () => {
    // random close to 1 so that the jittered delays actually reach the cap
    const random = 1 - 1e-9;
    const h = setup({ random });
    h.peer = () => HttpResponse.error();
    const short = h.enqueue({ lifetimeMs: 3 * DAY * 1000 });
    const long = h.enqueue({ lifetimeMs: 30 * DAY * 1000 });
    const t0 = h.clock.now();
    const gaps = new Map<string, number[]>([
      [short, []],
      [long, []],
    ]);
    const seenAttempts = new Map<string, number>();
    let sawQueuedAfterADay = false;
    while (h.clock.now() < t0 + 10 * DAY * 1000) {
      await h.worker.drain();
      for (const id of [short, long]) {
        const row = h.row(id);
        if (row.state === 'queued' && row.attempts !== seenAttempts.get(id)) {
          seenAttempts.set(id, row.attempts);
          gaps.get(id)!.push(row.nextAttemptAt - (row.lastAttemptAt ?? NaN));
          expect(row.nextAttemptAt).toBeLessThanOrEqual(row.expiresAt);
        }
      }
      if (h.clock.now() >= t0 + OVERDUE_MS && !sawQueuedAfterADay) {
        // both still queued after a day: already on the operator's list
        sawQueuedAfterADay = true;
        expect(h.store.overdue(h.clock.now()).map((r) => r.id)).toEqual([short, long]);
      }
      expect(h.rowCount()).toBe(2);
      h.clock.advance({ minutes: 10 });
    }
    expect(sawQueuedAfterADay).toBe(true);

    const s = h.row(short);
    expect(s).toMatchObject({ state: 'expired', lastError: 'PeerUnavailable', deliveredAt: null });
    // no attempt at or after the expiry
    expect(h.received.filter((r) => r.id === short).every((r) => r.at < s.expiresAt)).toBe(true);
    expect(h.received.filter((r) => r.id === short)).toHaveLength(s.attempts);

    const l = h.row(long);
    expect(l).toMatchObject({ state: 'queued', lastError: 'PeerUnavailable' });
    expect(l.attempts).toBeGreaterThan(20);
    const all = [...gaps.get(short)!, ...gaps.get(long)!];
    expect(all.length).toBeGreaterThan(20);
    for (const gap of all) {
      expect(gap).toBeGreaterThan(0);
      expect(gap).toBeLessThanOrEqual(CAP_MS);
    }
    // the plateau is the cap itself (× the fixed random)
    expect(Math.max(...gaps.get(long)!)).toBe(Math.floor(random * CAP_MS));
    // exponential up to it
    expect(gaps.get(long)!.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((n) => jitter(n, random)));

    // both stay visible, nothing deleted
    expect(h.store.overdue(h.clock.now()).map((r) => r.id)).toEqual([short, long]);
    expect(h.store.counts()).toEqual({ expired: 1, queued: 1 });

    // the peer comes back: the 30-day message goes within one capped delay, the expired one does not
    h.peer = () => 'ok';
    h.clock.set(l.nextAttemptAt);
    await h.worker.drain();
    expect(h.row(long).state).toBe('delivered');
    expect(h.row(short).state).toBe('expired');
    expect(h.store.overdue(h.clock.now()).map((r) => r.id)).toEqual([short]);
  });
});

describe('outbox: nothing is ever deleted', () => {
  it('(j) the row count stays the number enqueued through delivery, retries, refusals, expiry and acks', async () => {
    const h = setup();
    const behaviour = new Map<string, () => Answer>();
    h.peer = (id) => behaviour.get(id)?.() ?? 'ok';
    const delivered = h.enqueue();
    const refused = h.enqueue();
    behaviour.set(refused, () => new HttpResponse(null, { status: 403 }));
    const flaky = h.enqueue();
    behaviour.set(flaky, () => new HttpResponse(null, { status: 500 }));
    const garbage = h.enqueue({ lifetimeMs: 2 * HOUR });
    behaviour.set(garbage, () => HttpResponse.html('<h1>502 Bad Gateway</h1>', { status: 200 }));
    const counts: number[] = [h.rowCount()];
    for (let i = 0; i < 24; i++) {
      await h.worker.drain();
      counts.push(h.rowCount());
      if (i === 10) behaviour.delete(flaky);
      h.clock.advance({ minutes: 15 });
    }
    h.store.markAcknowledged([delivered, flaky], PEER, h.clock.now());
    await h.worker.drain();
    counts.push(h.rowCount());
    expect(new Set(counts)).toEqual(new Set([4]));
    expect(Object.fromEntries([delivered, refused, flaky, garbage].map((id) => [id, h.row(id).state]))).toEqual({
      [delivered]: 'acknowledged',
      [refused]: 'failed',
      [flaky]: 'acknowledged',
      [garbage]: 'expired',
    });
    expect(h.row(garbage).lastError).toBe('BadResponse');
  });
});
