import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNodeDb } from '../helpers/node-db.js';
import { afterAll, describe, expect, it } from 'vitest';
import { messageType } from '../../protocol/index.js';
import { offerBody } from '../helpers/messages.js';
import { type NodeProcess, connectProcesses, startNodeProcess } from '../helpers/process.js';

/**
 * Durability of the outbox → inbox → message path under `kill -9`: two real node processes
 * (lefoe sends, astra receives); in every round a batch of offers goes through lefoe's local API
 * while, at a random moment, lefoe, astra or both are SIGKILLed and restarted on the same port.
 * Then: every message the API accepted arrived exactly once, nothing arrived that lefoe never
 * created, nothing arrived twice, threads kept their order, every offer ends acknowledged, and the
 * backlog left by the last restart drains within seconds.
 *
 * CORRIDOR_DURABILITY_ROUNDS (default 12; e.g. 100 locally), CORRIDOR_DURABILITY_SEED.
 */

const ROUNDS = Number(process.env.CORRIDOR_DURABILITY_ROUNDS ?? 12);
const SEED = Number(process.env.CORRIDOR_DURABILITY_SEED ?? 0x5eed2025);
/** per round: threads of several messages (sent in order, `thid` of the first) and single messages */
const THREADS_PER_ROUND = 2;
const THREAD_LENGTH = 3;
const SINGLES_PER_ROUND = 4;
const MAX_KILL_DELAY_MS = 300;
/** pauses between one stream's messages, so a batch spans the kill window */
const MAX_GAP_MS = 60;
/** "within seconds": the backlog left by the last restart must be delivered within this */
const DRAIN_BOUND_MS = 30_000;
const ACK_BOUND_MS = 20_000;

const OFFER = messageType('referral', 'offer');
const ACK = messageType('message', 'ack');
const SENDER = 'node:lefoe';
const RECEIVER = 'node:astra';

/** mulberry32: a small seeded PRNG, so a run's kill schedule can be replayed */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface OutboxItem {
  id: string;
  to: string;
  thid: string;
  typ: string;
  state: string;
  attempts: number;
}
interface ReceivedMessage {
  sender: string;
  id: string;
  thid: string;
  typ: string;
  receivedAt: number;
}

async function getJson<T>(proc: NodeProcess, path: string): Promise<T> {
  const res = await proc.local(path);
  if (res.status !== 200) throw new Error(`${proc.name} ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** polls `check` (which returns null when satisfied, or a description of what is still missing) */
async function waitUntil(boundMs: number, check: () => Promise<string | null>): Promise<{ ms: number; missing: string | null }> {
  const start = Date.now();
  let missing: string | null = 'not checked';
  while (Date.now() - start <= boundMs) {
    try {
      missing = await check();
    } catch (error) {
      missing = `check failed: ${String(error)}`;
    }
    if (missing === null) return { ms: Date.now() - start, missing };
    await sleep(100);
  }
  return { ms: Date.now() - start, missing };
}

const procs: NodeProcess[] = [];
const dirs: string[] = [];
/** the figures, printed at the end whether the test passed or not */
const report: Record<string, unknown> = { seed: SEED, rounds: ROUNDS };
afterAll(async () => {
  process.stdout.write(`durability: ${JSON.stringify(report)}\n`);
  for (const p of procs) await p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('durability under kill -9 (real node processes)', () => {
  it(
    `every message arrives exactly once across ${ROUNDS} rounds of random SIGKILLs, and the backlog drains within seconds`,
    { timeout: 60_000 + ROUNDS * 5_000 },
    async () => {
      const t0 = Date.now();
      const random = prng(SEED);
      for (const name of ['lefoe', 'astra']) {
        const dir = mkdtempSync(join(tmpdir(), `corridor-durability-${name}-`));
        dirs.push(dir);
        procs.push(await startNodeProcess(name, dir));
      }
      await connectProcesses(procs);
      const [lefoe, astra] = procs as [NodeProcess, NodeProcess];

      /** what the API returned 202 for: must arrive, with this summary */
      const mustArrive = new Map<string, string>();
      /** POSTs that failed with a connection error: may have committed, must arrive at most once */
      const unknown: string[] = [];
      /** per thread, the ids in the order they were created */
      const threads = new Map<string, string[]>();
      const unexpected: string[] = [];
      const kills = { sender: 0, receiver: 0, both: 0 };
      let posts = 0;
      let lastRestartDone = Date.now();

      let senderRestart: Promise<void> | null = null;
      let refused = 0;
      const unknownCauses: Record<string, number> = {};
      const latencies: number[] = [];
      const post = async (summary: string, thid?: string): Promise<string | null> => {
        for (;;) {
          posts++;
          const started = Date.now();
          try {
            const res = await lefoe.local('/api/v1/messages', {
              method: 'POST',
              // a fresh connection each time: a request made while lefoe is down is refused (and sent
              // again), never written into a pooled socket of the killed process
              headers: { connection: 'close' },
              body: JSON.stringify({ to: RECEIVER, typ: OFFER, body: offerBody(summary), ...(thid ? { thid } : {}) }),
            });
            if (res.status !== 202) {
              unexpected.push(`POST ${summary}: ${res.status} ${await res.text()}`);
              return null;
            }
            const { id } = (await res.json()) as { id: string };
            latencies.push(Date.now() - started);
            mustArrive.set(id, summary);
            return id;
          } catch (error) {
            if (!senderRestart) {
              unexpected.push(`POST ${summary} failed while lefoe was not being restarted: ${String(error)}`);
              return null;
            }
            const restart = senderRestart;
            if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') {
              // nothing was listening: the request never reached the sender, so send it again
              refused++;
              await restart;
              continue;
            }
            // the sender died with this request in flight: committed or not, nobody knows
            unknown.push(summary);
            const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
            unknownCauses[cause] = (unknownCauses[cause] ?? 0) + 1;
            await restart;
            return null;
          }
        }
      };

      for (let round = 0; round < ROUNDS; round++) {
        const victim = (['sender', 'receiver', 'both'] as const)[Math.floor(random() * 3)]!;
        const killAt = Math.floor(random() * MAX_KILL_DELAY_MS);
        const gaps = Array.from({ length: THREADS_PER_ROUND * THREAD_LENGTH + SINGLES_PER_ROUND }, () => Math.floor(random() * MAX_GAP_MS));
        senderRestart = null;

        const killer = (async () => {
          await sleep(killAt);
          kills[victim]++;
          const lefoeBack = victim !== 'receiver' ? lefoe.restart() : null;
          if (lefoeBack) senderRestart = lefoeBack;
          await Promise.all([lefoeBack, victim !== 'sender' ? astra.restart() : null]);
          lastRestartDone = Date.now();
        })();

        const threadStream = async (t: number) => {
          let thid: string | undefined;
          for (let k = 0; k < THREAD_LENGTH; k++) {
            await sleep(gaps[t * THREAD_LENGTH + k]!);
            const id = await post(`round ${round} thread ${t} message ${k}`, thid);
            if (!id) continue; // an unknown first message: the next one starts the thread
            thid ??= id;
            threads.set(thid, [...(threads.get(thid) ?? []), id]);
          }
        };
        const single = async (s: number) => {
          await sleep(gaps[THREADS_PER_ROUND * THREAD_LENGTH + s]! * THREAD_LENGTH);
          await post(`round ${round} message ${s}`);
        };
        await Promise.all([
          killer,
          ...Array.from({ length: THREADS_PER_ROUND }, (_, t) => threadStream(t)),
          ...Array.from({ length: SINGLES_PER_ROUND }, (_, s) => single(s)),
        ]);
      }
      const roundsDone = Date.now();
      Object.assign(report, {
        posts,
        refusedAndResent: refused,
        accepted: mustArrive.size,
        unknown: unknown.length,
        unknownCauses,
        kills: { sender: kills.sender, receiver: kills.receiver, both: kills.both, senderTotal: kills.sender + kills.both, receiverTotal: kills.receiver + kills.both },
        roundsMs: roundsDone - t0,
        postMs: (() => {
          const sorted = [...latencies].sort((a, b) => a - b);
          const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
          return { p50: at(0.5), p95: at(0.95), max: at(1) };
        })(),
      });
      expect(unexpected).toEqual([]);

      // the backlog: every offer out of lefoe's outbox and processed at astra
      const outbox = () => getJson<{ items: OutboxItem[] }>(lefoe, '/api/v1/outbox?limit=10000').then((r) => r.items);
      const drained = await waitUntil(DRAIN_BOUND_MS, async () => {
        const pending = (await outbox()).filter((i) => i.typ !== ACK && (i.state === 'queued' || i.state === 'sending'));
        const status = await getJson<{ inbox: Record<string, number> }>(astra, '/api/v1/status');
        if (pending.length > 0) {
          const sending = pending.filter((i) => i.state === 'sending');
          const behind = pending.filter((i) => i.state === 'queued' && sending.some((s) => s.thid === i.thid && s.id < i.id));
          return (
            `${pending.length} offers still pending at lefoe: ${sending.length} in 'sending' (claimed by a process that was killed), ` +
            `${behind.length} queued behind them in their thread; e.g. ${JSON.stringify(pending.slice(0, 3).map((i) => ({ id: i.id, thid: i.thid, state: i.state, attempts: i.attempts })))}`
          );
        }
        if ((status.inbox.stored ?? 0) > 0) return `${status.inbox.stored} envelopes not yet processed at astra`;
        return null;
      });
      const backlogMs = Date.now() - lastRestartDone;
      report.backlogDeliveredMsAfterLastRestart = drained.missing === null ? backlogMs : `not within ${DRAIN_BOUND_MS}`;
      expect(drained.missing, `backlog not delivered within ${DRAIN_BOUND_MS} ms of the last restart`).toBeNull();

      // the acks: every offer acknowledged at lefoe, and astra has no ack left to send
      const acked = await waitUntil(ACK_BOUND_MS, async () => {
        const open = (await outbox()).filter((i) => i.state !== 'acknowledged');
        const astraPending = (await getJson<{ items: OutboxItem[] }>(astra, '/api/v1/outbox?limit=10000')).items.filter((i) => i.state === 'queued' || i.state === 'sending');
        if (open.length > 0) return `${open.length} offers not acknowledged: ${JSON.stringify(open.slice(0, 5))}`;
        if (astraPending.length > 0) return `${astraPending.length} acks still pending at astra: ${JSON.stringify(astraPending.slice(0, 5))}`;
        return null;
      });
      const ackMs = Date.now() - lastRestartDone;
      expect(acked.missing, `not every offer acknowledged within ${ACK_BOUND_MS} ms after the backlog`).toBeNull();

      // what the receiver says, through its API and straight from its database
      const api = (await getJson<{ messages: ReceivedMessage[] }>(astra, '/api/v1/messages?limit=100000')).messages.filter((m) => m.sender === SENDER);
      const sentItems = await outbox();
      const sentIds = new Set(sentItems.map((i) => i.id));

      const rdb = readNodeDb(astra.dataDir);
      const sdb = readNodeDb(lefoe.dataDir);
      try {
        const received = rdb
          .prepare(`SELECT m.rowid AS rowid, m.id, m.thid, m.typ, m.body, m.receivedAt, i.seq FROM message m JOIN inbox_item i ON i.sender = m.sender AND i.id = m.id WHERE m.sender = ? ORDER BY m.rowid`)
          .all(SENDER) as { rowid: number; id: string; thid: string; typ: string; body: string; receivedAt: number; seq: number }[];
        const effects = new Map<string, number>();
        for (const m of received) effects.set(m.id, (effects.get(m.id) ?? 0) + 1);

        // the effect: one message row per id, one inbox row per (sender, id), nothing left unprocessed
        expect([...effects].filter(([, n]) => n !== 1)).toEqual([]);
        expect(rdb.prepare(`SELECT sender, id, count(*) AS n FROM inbox_item GROUP BY sender, id HAVING n > 1`).all()).toEqual([]);
        expect(rdb.prepare(`SELECT count(*) AS n FROM inbox_item WHERE sender = ?`).get(SENDER), 'one inbox row per message').toEqual({ n: received.length });
        expect(rdb.prepare(`SELECT state, rejectCode, count(*) AS n FROM inbox_item WHERE state <> 'processed' GROUP BY state, rejectCode`).all()).toEqual([]);
        expect(received.every((m) => m.typ === OFFER)).toBe(true);

        // the API agrees with the database, each id once
        expect(api.map((m) => m.id).sort()).toEqual([...effects.keys()].sort());

        // no loss: every id the API returned is there, with the content that was sent
        const missing = [...mustArrive.keys()].filter((id) => !effects.has(id));
        expect(missing, 'accepted (202) but never arrived').toEqual([]);
        for (const m of received) {
          const summary = (JSON.parse(m.body) as { summary: string }).summary;
          if (mustArrive.has(m.id)) expect(summary).toBe(mustArrive.get(m.id));
        }
        // nothing invented: every message at astra was created by lefoe; and lefoe's outbox
        // (which includes the unknown POSTs that did commit) arrived in full
        expect([...effects.keys()].filter((id) => !sentIds.has(id))).toEqual([]);
        expect([...sentIds].filter((id) => !effects.has(id))).toEqual([]);
        // unknown POSTs arrived at most once (those that committed), and none under an accepted id
        const summaries = received.map((m) => (JSON.parse(m.body) as { summary: string }).summary);
        const unknownArrived = unknown.filter((s) => summaries.includes(s));
        for (const s of unknown) expect(summaries.filter((x) => x === s).length).toBeLessThanOrEqual(1);
        expect(sentIds.size).toBe(mustArrive.size + unknownArrived.length);

        // order per thread: in creation (ULID) order by inbox arrival, by effect and by receivedAt
        let threadMessages = 0;
        for (const [thid, ids] of threads) {
          expect([...ids].sort(), `thread ${thid}: ids created in order`).toEqual(ids);
          const rows = received.filter((m) => m.thid === thid);
          threadMessages += rows.length;
          const byRowid = rows.map((m) => m.id);
          const bySeq = [...rows].sort((a, b) => a.seq - b.seq).map((m) => m.id);
          const sorted = [...byRowid].sort();
          expect(byRowid, `thread ${thid}: message rows in creation order`).toEqual(sorted);
          expect(bySeq, `thread ${thid}: inbox arrivals in creation order`).toEqual(sorted);
          for (let k = 1; k < rows.length; k++) expect(rows[k]!.receivedAt).toBeGreaterThanOrEqual(rows[k - 1]!.receivedAt);
        }

        // the sender: every offer acknowledged exactly once, nothing stuck, failed or expired
        const states = sdb.prepare(`SELECT state, count(*) AS n FROM outbox_item GROUP BY state`).all() as { state: string; n: number }[];
        expect(states).toEqual([{ state: 'acknowledged', n: sentIds.size }]);
        const acks = sdb.prepare(`SELECT body FROM message WHERE sender = ? AND typ = ?`).all(RECEIVER, ACK) as { body: string }[];
        const ackCount = new Map<string, number>();
        for (const a of acks) for (const id of (JSON.parse(a.body) as { ackOf: string[] }).ackOf) ackCount.set(id, (ackCount.get(id) ?? 0) + 1);
        expect([...sentIds].filter((id) => ackCount.get(id) !== 1), 'offers not acked exactly once').toEqual([]);
        expect(rdb.prepare(`SELECT count(*) AS n FROM outbox_item WHERE state IN ('queued', 'sending', 'failed', 'expired')`).get()).toEqual({ n: 0 });

        const attempts = sdb.prepare(`SELECT sum(attempts > 1) AS retried, max(attempts) AS most, sum(attempts) AS total FROM outbox_item`).get() as { retried: number; most: number; total: number };
        Object.assign(report, {
          unknownCommitted: unknownArrived.length,
          delivered: effects.size,
          threads: threads.size,
          threadMessages,
          sendAttempts: attempts,
          acknowledgedMsAfterLastRestart: ackMs,
          totalMs: Date.now() - t0,
        });
        expect(kills.sender + kills.both + kills.receiver).toBe(ROUNDS);
      } finally {
        rdb.close();
        sdb.close();
      }
    },
  );
});
