import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, delay, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, type ManualClock } from '../../node/clock.js';
import { type DbHandle, openDb } from '../../node/db/client.js';
import { createLogger } from '../../node/logger.js';
import { LEASE_MS, OVERDUE_MS, type OutboxStore, createOutboxStore } from '../../node/outbox/outbox.js';
import { type OutboxWorker, createOutboxWorker } from '../../node/outbox/worker.js';
import {
  INBOX_PATH,
  PROTOCOL_VERSION,
  SigningKey,
  type TrustedNodeKey,
  newId,
  randomBytes,
  sha256,
  signReceipt,
  toBase64Url,
} from '../../protocol/index.js';
import { DAY, T0 } from '../helpers/time.js';

/**
 * The outbox store and worker on a real SQLite file, against a peer mocked with msw (msw patches
 * the global fetch: unit tests only, never next to real nodes). Time is a manual clock and the
 * jitter a fixed number, so every retry time is exact.
 */

const SELF = 'node:astra';
const PEER = 'node:peer';
const BASE = 'http://peer.test';
const INBOX = `${BASE}${INBOX_PATH}:id`;
const BASE_MS = 30_000;
const CAP_MS = 6 * 3600_000;
const HOUR = 3600_000;

const sender = SigningKey.generate('node');
const receiver = SigningKey.generate('node');
const receiverTrusted: TrustedNodeKey = {
  node: PEER,
  kid: receiver.kid,
  publicKey: receiver.publicKey,
  notBefore: T0 - DAY,
  notAfter: T0 + 365 * DAY,
};

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

/** what the mocked peer does with one PUT: `ok` signs an honest receipt for the bytes received */
type Answer = 'ok' | Response | Promise<Response>;
interface Received {
  id: string;
  at: number;
}

interface Harness {
  handle: DbHandle;
  store: OutboxStore;
  clock: ManualClock;
  worker: OutboxWorker;
  /** every PUT the peer saw, in arrival order */
  received: Received[];
  /** the peer's behaviour; change it at will */
  peer: (id: string, attempt: number) => Answer;
  enqueue(options?: { thid?: string; lifetimeMs?: number }): string;
  row(id: string): ReturnType<OutboxStore['list']>[number];
  rowCount(): number;
  enqueued: number;
}

let current: { h: Harness; dir: string } | null = null;

afterEach(() => {
  server.resetHandlers();
  if (!current) return;
  // (j) nothing is ever deleted: every row enqueued is still there at the end of every test
  expect(current.h.rowCount()).toBe(current.h.enqueued);
  current.h.handle.close();
  rmSync(current.dir, { recursive: true, force: true });
  current = null;
});

function setup(options: { random?: number; timeoutMs?: number } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-outbox-'));
  const handle = openDb(join(dir, 'corridor.db'));
  const store = createOutboxStore(handle.sqlite);
  const clock = manualClock(T0 * 1000);
  const random = options.random ?? 0.5;
  const worker = createOutboxWorker({
    store,
    clock,
    // looked up at call time: msw replaces globalThis.fetch in server.listen()
    fetch: (url, init) => globalThis.fetch(url, init),
    log: createLogger('silent'),
    self: SELF,
    nodeKey: () => sender,
    peerUrl: (node) => (node === PEER ? BASE : undefined),
    peerKey: (node, kid) => (node === PEER && kid === receiver.kid ? receiverTrusted : undefined),
    policy: { baseMs: BASE_MS, capMs: CAP_MS },
    concurrency: 16,
    timeoutMs: options.timeoutMs ?? 5000,
    pollMs: 1000,
    random: () => random,
  });
  const countStmt = handle.sqlite.prepare('SELECT count(*) AS n FROM outbox_item');
  const attemptsById = new Map<string, number>();
  const h: Harness = {
    handle,
    store,
    clock,
    worker,
    received: [],
    peer: () => 'ok',
    enqueued: 0,
    enqueue({ thid, lifetimeMs = 30 * DAY * 1000 } = {}) {
      const now = clock.now();
      const id = newId(now);
      const envelope = randomBytes(200 + Math.floor(Math.random() * 100));
      store.enqueue({ id, to: PEER, thid: thid ?? id, typ: 'corridor/referral/1.0/offer', envelope, ctSha256: toBase64Url(sha256(envelope)), createdAt: now, expiresAt: now + lifetimeMs });
      h.enqueued++;
      return id;
    },
    row(id) {
      const row = store.list(100_000).find((r) => r.id === id);
      if (!row) throw new Error(`row ${id} is gone`);
      return row;
    },
    rowCount: () => (countStmt.get() as { n: number }).n,
  };
  server.use(
    http.put(INBOX, async ({ request, params }) => {
      const id = String(params.id);
      const body = new Uint8Array(await request.arrayBuffer());
      h.received.push({ id, at: clock.now() });
      const attempt = (attemptsById.get(id) ?? 0) + 1;
      attemptsById.set(id, attempt);
      const answer = await h.peer(id, attempt);
      if (answer !== 'ok') return answer;
      const receipt = signReceipt(receiver, {
        v: PROTOCOL_VERSION,
        id,
        from: SELF,
        to: PEER,
        ctSha256: toBase64Url(sha256(body)),
        receivedAt: Math.floor(clock.now() / 1000),
        kid: receiver.kid,
      });
      return HttpResponse.json(receipt, { status: 202 });
    }),
  );
  current = { h, dir };
  return h;
}

/** the full-jitter delay the policy gives after `attempts` failed attempts */
const jitter = (attempts: number, random = 0.5) => Math.floor(random * Math.min(CAP_MS, BASE_MS * 2 ** (attempts - 1)));
const ids = (received: Received[]) => received.map((r) => r.id);

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
