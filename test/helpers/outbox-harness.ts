import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { manualClock, type ManualClock } from '../../node/clock.js';
import { type DbHandle, openDb } from '../../node/db/client.js';
import { TEST_DATABASE_KEY } from './node-db.js';
import { createLogger } from '../../node/logger.js';
import { type OutboxStore, createOutboxStore } from '../../node/outbox/outbox.js';
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
import { DAY, T0 } from './time.js';

/**
 * The outbox store and worker on a real SQLite file, against a peer mocked with msw (msw patches
 * the global fetch: unit tests only, never next to real nodes). Time is a manual clock and the
 * jitter a fixed number, so every retry time is exact.
 *
 * Each test file starts and closes its own msw server and hands it to `outboxHarness(server)`;
 * its afterEach takes the harness of the test that just ran (`takeCurrent()`), checks that no row
 * was deleted and disposes of it.
 */

export const SELF = 'node:astra';
export const PEER = 'node:peer';
export const BASE = 'http://peer.test';
export const INBOX = `${BASE}${INBOX_PATH}:id`;
export const BASE_MS = 30_000;
export const CAP_MS = 6 * 3600_000;
export const HOUR = 3600_000;

export const sender = SigningKey.generate('node');
export const receiver = SigningKey.generate('node');
export const receiverTrusted: TrustedNodeKey = {
  node: PEER,
  kid: receiver.kid,
  publicKey: receiver.publicKey,
  notBefore: T0 - DAY,
  notAfter: T0 + 365 * DAY,
};

/** what the mocked peer does with one PUT: `ok` signs an honest receipt for the bytes received */
export type Answer = 'ok' | Response | Promise<Response>;
export interface Received {
  id: string;
  at: number;
}

export interface Harness {
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

export interface SetupOptions {
  random?: number;
  timeoutMs?: number;
}

/** the harness a test built, and how to close its database and remove its directory */
export interface Current {
  h: Harness;
  dispose(): void;
}

/** `setup()` for the tests of one file, bound to that file's msw server */
export function outboxHarness(server: SetupServer): { setup(options?: SetupOptions): Harness; takeCurrent(): Current | null } {
  let current: Current | null = null;

  function setup(options: SetupOptions = {}): Harness {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-outbox-'));
    const handle = openDb(join(dir, 'corridor.db'), { key: TEST_DATABASE_KEY });
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
    current = {
      h,
      dispose() {
        handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return h;
  }

  function takeCurrent(): Current | null {
    const taken = current;
    current = null;
    return taken;
  }

  return { setup, takeCurrent };
}

/** the full-jitter delay the policy gives after `attempts` failed attempts */
export const jitter = (attempts: number, random = 0.5) => Math.floor(random * Math.min(CAP_MS, BASE_MS * 2 ** (attempts - 1)));
export const ids = (received: Received[]) => received.map((r) => r.id);

/**
 * One msw peer per test file, started and closed with the file, and after every test the check
 * that matters most: (j) nothing is ever deleted, every row enqueued is still there.
 */
export function useOutboxHarness(): { setup(options?: SetupOptions): Harness } {
  const server = setupServer();
  const { setup, takeCurrent } = outboxHarness(server);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  afterEach(() => {
    server.resetHandlers();
    const current = takeCurrent();
    if (!current) return;
    expect(current.h.rowCount()).toBe(current.h.enqueued);
    current.dispose();
  });
  return { setup };
}
