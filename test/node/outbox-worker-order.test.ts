import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { LEASE_MS } from '../../node/outbox/outbox.js';
import { ids, useOutboxHarness } from '../helpers/outbox-harness.js';

/**
 * The outbox worker keeps the order per thread (a failing head holds back the rest of its
 * thread, not other threads) and recovers a send interrupted by a crash (an expired lease).
 * The store and worker run on a real SQLite file against an msw peer with a manual clock
 * (test/helpers/outbox-harness.ts).
 */

const { setup } = useOutboxHarness();

describe('outbox worker: order per thread', () => {
  it('(h) while the head of a thread keeps failing, the rest of the thread waits (attempts 0); another thread is not blocked; then they go in order', async () => {
    const h = setup();
    let headFails = true;
    const first = h.enqueue();
    const second = h.enqueue({ thid: first });
    const third = h.enqueue({ thid: first });
    const elsewhere = h.enqueue();
    expect([first, second, third].sort()).toEqual([first, second, third]);
    h.peer = (id) => (id === first && headFails ? new HttpResponse(null, { status: 503 }) : 'ok');

    for (let round = 0; round < 6; round++) {
      await h.worker.drain();
      expect(h.row(second)).toMatchObject({ state: 'queued', attempts: 0 });
      expect(h.row(third)).toMatchObject({ state: 'queued', attempts: 0 });
      h.clock.set(h.row(first).nextAttemptAt);
    }
    expect(h.row(elsewhere)).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(h.row(first)).toMatchObject({ state: 'queued', attempts: 6 });
    expect(ids(h.received).filter((id) => id !== elsewhere)).toEqual(Array(6).fill(first));

    headFails = false;
    const before = h.received.length;
    await h.worker.drain();
    expect(ids(h.received.slice(before))).toEqual([first, second, third]);
    expect(h.row(first)).toMatchObject({ state: 'delivered', attempts: 7 });
    expect(h.row(second)).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(h.row(third)).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('the running loop sleeps while a thread waits for its head to be retried (no busy loop)', async () => {
    const h = setup();
    const first = h.enqueue();
    for (let i = 0; i < 50; i++) h.enqueue({ thid: first });
    h.peer = () => new HttpResponse(null, { status: 503 });
    await h.worker.drain(); // the head failed once and waits for its retry; the clock stands still
    let claims = 0;
    const claim = h.store.claim.bind(h.store);
    h.store.claim = (now, limit) => {
      claims++;
      return claim(now, limit);
    };
    h.worker.start();
    await new Promise((r) => setTimeout(r, 400));
    await h.worker.stop();
    expect(claims).toBeLessThanOrEqual(3);
    expect(h.row(first)).toMatchObject({ state: 'queued', attempts: 1 });
  });

  it('a head that failed permanently no longer blocks its thread (it stays visible as failed)', async () => {
    const h = setup();
    const first = h.enqueue();
    const second = h.enqueue({ thid: first });
    h.peer = (id) => (id === first ? HttpResponse.json({ error: { code: 'Unauthenticated', message: 'x' } }, { status: 401 }) : 'ok');
    await h.worker.drain();
    expect(ids(h.received)).toEqual([first, second]);
    expect(h.row(first)).toMatchObject({ state: 'failed', lastStatus: 401, lastError: 'Unauthenticated' });
    expect(h.row(second).state).toBe('delivered');
  });
});

describe('outbox worker: a send interrupted by a crash', () => {
  it('(i) a `sending` row whose lease ran out is sent again; not before', async () => {
    const h = setup();
    const id = h.enqueue();
    const next = h.enqueue({ thid: id });
    const t0 = h.clock.now();
    // a process claims it and dies before recording any outcome
    const claimed = h.store.claim(t0, 10);
    expect(claimed.map((r) => r.id)).toEqual([id]);
    expect(h.row(id)).toMatchObject({ state: 'sending', attempts: 1, lastAttemptAt: t0 });

    expect(await h.worker.drain()).toBe(0);
    h.clock.set(t0 + LEASE_MS);
    expect(await h.worker.drain()).toBe(0);
    expect(h.received).toEqual([]);
    // the thread behind it waited too
    expect(h.row(next)).toMatchObject({ state: 'queued', attempts: 0 });

    h.clock.set(t0 + LEASE_MS + 1);
    await h.worker.drain();
    expect(ids(h.received)).toEqual([id, next]);
    expect(h.row(id)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(h.row(next)).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('a `sending` row whose lease and lifetime both ran out ends expired, not lost', async () => {
    const h = setup();
    const id = h.enqueue({ lifetimeMs: 30_000 });
    h.store.claim(h.clock.now(), 10);
    h.clock.advance({ ms: LEASE_MS + 1 });
    await h.worker.drain();
    expect(h.received).toEqual([]);
    expect(h.row(id)).toMatchObject({ state: 'expired', lastError: 'Expired' });
    expect(h.store.overdue(h.clock.now()).map((r) => r.id)).toEqual([id]);
  });
});
