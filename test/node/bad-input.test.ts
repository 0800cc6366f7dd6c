import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENVELOPE_MEDIA_TYPE,
  type NodeDescriptor,
  SigningKey,
  type TrustedNodeKey,
  type VerifiedPrekey,
  createMessage,
  fromBase64Url,
  messageType,
  readEnvelope,
  seal,
  signRequest,
  verifyPrekey,
} from '../../protocol/index.js';
import {
  type Answer,
  type BadCase,
  type Expectation,
  INBOX,
  type Material,
  Rng,
  type Step,
  UNSIGNED_PROBE,
  bitFlipped,
  crafted,
  flipBit,
  garbage,
  headerEnd,
  isRaw,
  mutableHeaderValues,
  oversized,
  pathsAndMethods,
  pool,
  replayed,
  send,
  signed,
  truncated,
  wrongDigest,
  wronglySigned,
} from '../helpers/bad-requests.js';
import { DIR, offerBody } from '../helpers/messages.js';
import { startNetwork } from '../helpers/network.js';
import { type NodeProcess, connectProcesses, startNodeProcess } from '../helpers/process.js';

/**
 * Bad input against a running node PROCESS (dist/node/main.js): thousands of malformed,
 * truncated, oversized, wrongly signed, replayed, wrong-digest and bit-flipped requests on
 * `PUT /federation/v1/inbox/{id}`. Every one is answered 4xx, every request whose signature
 * cannot verify gets the very same `Unauthenticated` 401 (nothing says why), the process stays
 * up, and no inbox or message row comes from any of them.
 *
 * The honest sender (a second process) sends one real message first; its envelope (read from
 * the sender's database) and its node key (same database) are the attacker's material: with
 * the key, requests are signed exactly as the sender's federation client signs them, so the
 * "correctly signed" classes really pass the transport's signature check (a control request
 * proves it) and the "wrongly signed" ones differ in one thing only.
 *
 * What "bad" means for a correctly signed request follows the design: the transport checks the
 * request signature and nonce, then reads only the outer header (`u16 H ‖ header`): id = URL id,
 * `to` = this node. It does not open the box; the inbox processor does that later. So a bad
 * body from an authenticated peer is refused at once only when its header is unreadable or wrong
 * (400), or when it names the id already stored with other bytes (409 + an operator alert). The
 * truncations and bit flips of the main test are therefore made on the stored envelope (any
 * byte) or on never-seen envelopes inside the length prefix and header structure, `v`, `id` and
 * `to` (the transport must refuse those itself). A never-seen envelope with a flipped box, cut
 * box, or another prekey or expiry in a well-formed header IS stored (202, with a receipt) and
 * then ends `rejected` with a code, never in `message`: the second test checks exactly that.
 *
 * N (default 10,000) comes from CORRIDOR_FUZZ_REQUESTS, the seed from CORRIDOR_FUZZ_SEED;
 * CORRIDOR_FUZZ_TIMING=1 prints the slowest variants.
 */

// The 10,000 of the issue; at N=10,000 the whole file takes about 20-40 s on 2 cores.
const N = Number(process.env.CORRIDOR_FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.CORRIDOR_FUZZ_SEED ?? 0x5eed_c0de) >>> 0;
const CONCURRENCY = 16;
/** 4-5 MiB each: few on purpose (CORRIDOR_FUZZ_OVERSIZED for more) */
const OVERSIZED = Number(process.env.CORRIDOR_FUZZ_OVERSIZED ?? 20);

const procs: NodeProcess[] = [];
const dirs: string[] = [];
const dbs: Database.Database[] = [];
let rx: NodeProcess;
let tx: NodeProcess;
let rxDb: Database.Database;
let material: Material;
let agent: Agent;
let prekey: VerifiedPrekey;
let senderKey: SigningKey;
const errorLines: string[] = [];
let rxExit: string | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const count = (db: Database.Database, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
const inboxRows = () => count(rxDb, 'SELECT count(*) AS n FROM inbox_item');
const messageRows = () => count(rxDb, 'SELECT count(*) AS n FROM message');
const alertRows = () => count(rxDb, 'SELECT count(*) AS n FROM alert');

/** a new valid envelope for the receiver, sealed and signed as the sender's node would */
function sealFresh(): { id: string; envelope: Uint8Array } {
  const message = createMessage({ typ: messageType('referral', 'offer'), from: tx.id, kid: senderKey.kid, to: rx.id, dir: DIR, body: offerBody() }, Date.now());
  return { id: message.id, envelope: seal(message, senderKey, prekey).envelope };
}

beforeAll(async () => {
  for (const name of ['bad-rx', 'bad-tx']) {
    const dir = mkdtempSync(join(tmpdir(), `corridor-${name}-`));
    dirs.push(dir);
    procs.push(await startNodeProcess(name, dir));
  }
  [rx, tx] = procs as [NodeProcess, NodeProcess];
  rx.child.once('exit', (code, signal) => {
    rxExit = `exit ${code} ${signal}`;
  });
  let partial = '';
  rx.child.stderr?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) if (l.includes('"level":"error"')) errorLines.push(l);
  });
  await connectProcesses(procs);

  // the honest way: the sender seals a referral offer for the receiver and delivers it
  const res = await tx.local('/local/v1/messages', { method: 'POST', body: JSON.stringify({ to: rx.id, typ: messageType('referral', 'offer'), body: offerBody() }) });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };

  const txDb = new Database(join(tx.dataDir, 'corridor.db'), { readonly: true, fileMustExist: true });
  rxDb = new Database(join(rx.dataDir, 'corridor.db'), { readonly: true, fileMustExist: true });
  dbs.push(txDb, rxDb);
  const row = await until('the outbox row', () => txDb.prepare('SELECT envelope FROM outbox_item WHERE id = ?').get(id) as { envelope: Buffer } | undefined);
  // wait until the exchange is over (stored, opened, acknowledged), so no honest traffic runs below
  await until('the acknowledgement', () => (txDb.prepare('SELECT state FROM outbox_item WHERE id = ?').get(id) as { state: string }).state === 'acknowledged');
  await until('the receiver processed it', () => (rxDb.prepare('SELECT state FROM inbox_item WHERE id = ?').get(id) as { state: string } | undefined)?.state === 'processed');
  await until('the ack delivered', () => count(rxDb, "SELECT count(*) AS n FROM outbox_item WHERE state NOT IN ('delivered', 'acknowledged')") === 0);

  const seed = txDb.prepare("SELECT secret FROM own_key WHERE kind = 'node' AND destroyedAt IS NULL").get() as { secret: Buffer };
  senderKey = SigningKey.fromSeed('node', new Uint8Array(seed.secret));
  const txDescriptor = (await (await fetch(`${tx.url}/.well-known/corridor`)).json()) as NodeDescriptor;
  expect(senderKey.kid).toBe(txDescriptor.nodeKeys[0]?.key.kid);

  const descriptor = (await (await fetch(`${rx.url}/.well-known/corridor`)).json()) as NodeDescriptor;
  const cert = descriptor.nodeKeys[0]!.key;
  const rxKey: TrustedNodeKey = { node: cert.node, kid: cert.kid, publicKey: fromBase64Url(cert.publicKey)!, notBefore: cert.notBefore, notAfter: cert.notAfter };
  const verified = verifyPrekey(descriptor.prekeys[0], rxKey, Math.floor(Date.now() / 1000));
  if (!verified.ok) throw new Error(`receiver prekey: ${verified.code}`);
  prekey = verified.value;

  const url = new URL(rx.url);
  const freshPool = Array.from({ length: 128 }, sealFresh);
  const rng = new Rng(SEED);
  material = {
    rng,
    base: rx.url,
    host: url.hostname,
    port: Number(url.port),
    sender: tx.id,
    key: senderKey,
    receiver: rx.id,
    delivered: { id, envelope: new Uint8Array(row.envelope) },
    fresh: () => rng.pick(freshPool),
    now: () => Math.floor(Date.now() / 1000),
  };
}, 60_000);

afterAll(async () => {
  agent?.destroy();
  for (const db of dbs) db.close();
  for (const p of procs) await p.kill('SIGTERM');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface ClassStats {
  cases: number;
  requests: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  variants: Set<string>;
}

const target = () => ({ host: material.host, port: material.port, agent });
/** each test its own keep-alive connections (an idle one the server is closing is never reused) */
const freshAgent = () => {
  agent?.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
};
const codeOf = (body: string): string => {
  try {
    return String((JSON.parse(body) as { error?: { code?: unknown } }).error?.code ?? '-');
  } catch {
    return '-';
  }
};

describe('bad input against a running node process', () => {
  it(
    `${N} malformed, truncated, oversized, wrongly signed, replayed, wrong-digest and bit-flipped requests: all 4xx, nothing stored, the process stays up`,
    { timeout: Math.max(120_000, N * 30) },
    async () => {
      freshAgent();
      const started = Date.now();
      const m = material;

      // the one answer for every request whose signature cannot verify
      const probe = await send(target(), UNSIGNED_PROBE(m));
      expect(probe.statuses).toEqual([401]);
      const unauthenticated = probe.bodies[0] ?? '';
      expect(JSON.parse(unauthenticated)).toEqual({ error: { code: 'Unauthenticated', message: expect.any(String) } });

      // control: the attacker's material signs like the sender (signRequest and the hand-made
      // signature), so a signed garbage body passes the signature check and is refused for its content
      for (const headers of [signed(m, `${INBOX}${m.delivered.id}`, Uint8Array.of(1, 2, 3)), crafted(m, `${INBOX}${m.delivered.id}`, Uint8Array.of(1, 2, 3))]) {
        const a = await send(target(), { method: 'PUT', path: `${INBOX}${m.delivered.id}`, headers, body: Uint8Array.of(1, 2, 3) });
        expect(a.statuses).toEqual([400]);
        expect(codeOf(a.bodies[0] ?? '')).toBe('Malformed');
      }

      const inboxBefore = inboxRows();
      const messagesBefore = messageRows();
      const alertsBefore = alertRows();

      // the cases: a few big ones, the rest spread over the classes by weight
      const cases: BadCase[] = [];
      for (let i = 0; i < Math.min(OVERSIZED, N); i++) cases.push(oversized(m, i));
      const other = SigningKey.generate('node');
      const weighted: [number, () => BadCase][] = [
        [15, () => garbage(m)],
        [13, () => truncated(m)],
        [20, () => wronglySigned(m, other)],
        [15, () => replayed(m)],
        [12, () => wrongDigest(m)],
        [17, () => bitFlipped(m)],
        [8, () => pathsAndMethods(m)],
      ];
      const total = weighted.reduce((n, [w]) => n + w, 0);
      let planned = cases.reduce((n, c) => n + c.requests, 0);
      while (planned < N) {
        let x = m.rng.int(total);
        const make = weighted.find(([w]) => (x -= w) < 0)?.[1] ?? weighted[0]![1];
        const c = make();
        cases.push(c);
        planned += c.requests;
      }

      const stats = new Map<string, ClassStats>();
      const timing = new Map<string, number[]>();
      const failures: string[] = [];
      let sent = 0;
      const statsOf = (cls: string): ClassStats => {
        const s = stats.get(cls) ?? { cases: 0, requests: 0, statuses: {}, codes: {}, variants: new Set<string>() };
        stats.set(cls, s);
        return s;
      };
      const check = (c: BadCase, step: Step, a: Answer) => {
        const s = statsOf(c.cls);
        s.requests++;
        s.variants.add(c.variant);
        const where = `${c.cls} / ${c.variant}${isRaw(step.wire) ? ' (raw)' : ` ${step.wire.method} ${step.wire.path.slice(0, 80)}`}`;
        if (a.error !== undefined || a.statuses.length === 0) {
          failures.push(`${where}: no answer (${a.error ?? 'nothing'})`);
          s.statuses.error = (s.statuses.error ?? 0) + 1;
          return;
        }
        a.statuses.forEach((status, i) => {
          const body = a.bodies[i] ?? '';
          s.statuses[status] = (s.statuses[status] ?? 0) + 1;
          const code = codeOf(body);
          s.codes[code] = (s.codes[code] ?? 0) + 1;
          if (status < 400 || status > 499) failures.push(`${where}: status ${status} ${body.slice(0, 200)}`);
          // whatever the class, a 401 says nothing more than the one answer
          if (status === 401 && body !== unauthenticated) failures.push(`${where}: a 401 that says more: ${body.slice(0, 200)}`);
          if (status === 401 && a.shape !== undefined && a.shape !== probe.shape) failures.push(`${where}: a 401 with other headers: ${a.shape}`);
        });
        const expected: Expectation = step.expect;
        if (expected === 'unauthenticated') {
          if (a.statuses.length !== 1 || a.statuses[0] !== 401 || a.bodies[0] !== unauthenticated) {
            failures.push(`${where}: expected the Unauthenticated 401, got ${a.statuses.join(',')} ${(a.bodies[0] ?? '').slice(0, 200)}`);
          }
        } else if (a.statuses.some((st) => !expected.includes(st))) {
          failures.push(`${where}: expected ${expected.join('/')}, got ${a.statuses.join(',')} ${(a.bodies[0] ?? '').slice(0, 200)}`);
        }
      };

      await pool(cases, CONCURRENCY, async (c) => {
        statsOf(c.cls).cases++;
        for (const step of c.steps()) {
          const t0 = Date.now();
          const a = await send(target(), step.wire);
          const t = timing.get(c.variant) ?? [];
          t.push(Date.now() - t0);
          timing.set(c.variant, t);
          sent++;
          check(c, step, a);
        }
      });
      const elapsed = Date.now() - started;
      if (process.env.CORRIDOR_FUZZ_TIMING) {
        const rows = [...timing].map(([v, t]) => [v, t.length, t.reduce((a, b) => a + b, 0)] as const).sort((a, b) => b[2] - a[2]);
        console.log(rows.slice(0, 15).map(([v, n, sum]) => `  ${v}: ${n} × ${(sum / n).toFixed(1)} ms = ${sum} ms`).join('\n'));
      }

      // give the inbox processor a moment in case anything had been stored after all
      await sleep(300);
      const inboxAfter = inboxRows();
      const messagesAfter = messageRows();
      const alertsAfter = alertRows();

      const lines = [...stats.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([cls, s]) => `  ${cls.padEnd(28)} cases ${String(s.cases).padStart(5)}  requests ${String(s.requests).padStart(5)}  variants ${String(s.variants.size).padStart(2)}  statuses ${JSON.stringify(s.statuses)}  codes ${JSON.stringify(s.codes)}`);
      console.log(
        [
          `bad input: seed ${SEED}, ${sent} requests in ${cases.length} cases, concurrency ${CONCURRENCY}, ${(elapsed / 1000).toFixed(1)} s (${Math.round(sent / (elapsed / 1000))}/s)`,
          ...lines,
          `  receiver: inbox rows ${inboxBefore} → ${inboxAfter}, message rows ${messagesBefore} → ${messagesAfter}, alerts ${alertsBefore} → ${alertsAfter} (409s on the stored id), error log lines ${errorLines.length}`,
        ].join('\n'),
      );

      expect(sent).toBeGreaterThanOrEqual(N);
      expect(failures.slice(0, 25)).toEqual([]);
      expect(failures).toHaveLength(0);
      // every class had a good share (the oversized ones are few on purpose)
      if (N >= 2000) for (const [cls, s] of stats) if (!cls.startsWith('3')) expect(s.requests, cls).toBeGreaterThan(N * 0.05);

      // the process is still up and answering
      expect(rxExit).toBeNull();
      expect(rx.child.exitCode).toBeNull();
      expect(rx.child.signalCode).toBeNull();
      expect((await fetch(`${rx.url}/.well-known/corridor`)).status).toBe(200);
      expect(errorLines).toEqual([]);

      // nothing was stored for any of them, and nothing was opened
      expect(inboxAfter).toBe(inboxBefore);
      expect(messagesAfter).toBe(messagesBefore);
    },
  );

  it('a correctly signed envelope with a bit flipped where the transport does not look is stored (202), then rejected by the inbox processor; no message row', async () => {
    // By design the transport only reads the outer header (readEnvelope) and the request
    // signature; the box is opened later by the inbox processor. So a flip in the box (or one that
    // leaves a well-formed header with another prekey or expiry) from an authenticated peer is
    // stored with a receipt and then ends `rejected` with a code, never in `message`.
    freshAgent();
    const m = material;
    const errorsBefore = errorLines.length;
    const count7b = Math.max(20, Math.round(N / 50));
    const inboxBefore = inboxRows();
    const messagesBefore = messageRows();
    const stored: { id: string; where: string }[] = [];
    const refused: Record<string, number> = {};
    const items = Array.from({ length: count7b }, (_, i) => i);
    const problems: string[] = [];
    await pool(items, CONCURRENCY, async (i) => {
      const fresh = sealFresh();
      const env = fresh.envelope;
      const end = headerEnd(env);
      let body: Uint8Array;
      let where: string;
      if (i % 5 === 4) {
        const [a, b] = m.rng.pick(mutableHeaderValues(env));
        body = flipBit(env, (a + m.rng.int(b - a)) * 8 + m.rng.int(8));
        where = 'header-value';
      } else if (i % 5 === 3) {
        body = env.subarray(0, end + m.rng.int(env.length - end));
        where = 'box-truncated';
      } else {
        const bit = end * 8 + m.rng.int((env.length - end) * 8);
        body = flipBit(env, bit);
        where = bit < (end + 32) * 8 ? 'ephemeral-key' : bit >= (env.length - 16) * 8 ? 'tag' : 'ciphertext';
      }
      const path = `${INBOX}${fresh.id}`;
      const a = await send(target(), { method: 'PUT', path, headers: signed(m, path, body), body });
      const status = a.statuses[0];
      if (status === 202) stored.push({ id: fresh.id, where });
      else if (where === 'header-value' && status !== undefined && status >= 400 && status < 500) {
        refused[`${status} ${codeOf(a.bodies[0] ?? '')}`] = (refused[`${status} ${codeOf(a.bodies[0] ?? '')}`] ?? 0) + 1;
        // refused by the transport only because the flipped header no longer reads
        if (readEnvelope(body).ok) problems.push(`${where}: a readable header was refused: ${status}`);
      } else problems.push(`${where}: ${a.statuses.join(',')} ${a.error ?? ''} ${(a.bodies[0] ?? '').slice(0, 200)}`);
    });
    expect(problems).toEqual([]);
    expect(stored.length).toBeGreaterThanOrEqual(Math.floor((count7b * 4) / 5));
    expect(inboxRows()).toBe(inboxBefore + stored.length);

    const ids = stored.map((s) => s.id);
    const states = () => rxDb.prepare(`SELECT id, state, rejectCode FROM inbox_item WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { id: string; state: string; rejectCode: string | null }[];
    await until('every flipped envelope processed', () => states().every((s) => s.state !== 'stored'), 30_000);
    const codes: Record<string, number> = {};
    for (const s of states()) {
      expect(s.state).toBe('rejected');
      expect(s.rejectCode).toEqual(expect.any(String));
      codes[s.rejectCode ?? ''] = (codes[s.rejectCode ?? ''] ?? 0) + 1;
      const where = stored.find((x) => x.id === s.id)?.where;
      if (where !== 'header-value') expect(s.rejectCode, where).toBe('DecryptFailed');
    }
    expect(count(rxDb, `SELECT count(*) AS n FROM message WHERE id IN (${ids.map(() => '?').join(',')})`, ...ids)).toBe(0);
    expect(messageRows()).toBe(messagesBefore);
    expect(errorLines.slice(errorsBefore)).toEqual([]);
    console.log(`7b: ${count7b} flipped or cut fresh envelopes, ${stored.length} stored then rejected ${JSON.stringify(codes)}, refused by the transport ${JSON.stringify(refused)}`);
    expect(rx.child.exitCode).toBeNull();
  }, 60_000);

  it('the replay of a good request is the Unauthenticated 401 and stores nothing twice; a newly signed resend gets the same receipt', async () => {
    freshAgent();
    const m = material;
    const inboxBefore = inboxRows();
    const messagesBefore = messageRows();
    const fresh = sealFresh();
    const path = `${INBOX}${fresh.id}`;
    const wire = { method: 'PUT', path, headers: signed(m, path, fresh.envelope), body: fresh.envelope };
    const first = await send(target(), wire);
    expect(first.statuses).toEqual([202]);
    const replay = await send(target(), wire);
    expect(replay.statuses).toEqual([401]);
    expect(JSON.parse(replay.bodies[0] ?? '')).toEqual({ error: { code: 'Unauthenticated', message: expect.any(String) } });
    const again = await send(target(), { ...wire, headers: signed(m, path, fresh.envelope) });
    expect(again.statuses).toEqual([200]);
    expect(again.bodies[0]).toBe(first.bodies[0]);
    expect(inboxRows()).toBe(inboxBefore + 1);
    await until('the good envelope opened', () => messageRows() === messagesBefore + 1);
    expect(count(rxDb, 'SELECT count(*) AS n FROM inbox_item WHERE id = ?', fresh.id)).toBe(1);
    expect((await fetch(`${rx.url}/.well-known/corridor`)).status).toBe(200);
  }, 30_000);

  it('uploads cut short (fewer bytes than Content-Length, a broken chunk) get a 4xx or a closed connection, store nothing, and the process stays up', async () => {
    freshAgent();
    const m = material;
    const inboxBefore = inboxRows();
    const errorsBefore = errorLines.length;
    const path = `${INBOX}${m.delivered.id}`;
    const head = (extra: string) => `PUT ${path} HTTP/1.1\r\nHost: ${m.host}:${m.port}\r\nContent-Type: ${ENVELOPE_MEDIA_TYPE}\r\n${extra}\r\n`;
    const f = m.fresh();
    const h = signed(m, `${INBOX}${f.id}`, f.envelope);
    const signedHead = `PUT ${INBOX}${f.id} HTTP/1.1\r\nHost: ${m.host}:${m.port}\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    const uploads: Buffer[] = [
      Buffer.from(`${head('Content-Length: 1000\r\n')}abcdefghij`, 'latin1'),
      Buffer.from(`${head('Transfer-Encoding: chunked\r\n')}10\r\nabc`, 'latin1'),
      // a correctly signed valid envelope whose last bytes never come
      Buffer.concat([Buffer.from(signedHead, 'latin1'), Buffer.from(f.envelope.subarray(0, f.envelope.length - 1))]),
    ];
    for (const raw of uploads) {
      const a = await send(target(), { raw, halfClose: true });
      // the client is gone: a 4xx from the HTTP parser, or nothing at all
      for (const status of a.statuses) expect(status).toBeGreaterThanOrEqual(400), expect(status).toBeLessThan(500);
    }
    await sleep(300);
    expect(inboxRows()).toBe(inboxBefore);
    expect(rx.child.exitCode).toBeNull();
    expect((await fetch(`${rx.url}/.well-known/corridor`)).status).toBe(200);
    // a client going away mid-upload is not an internal error: no error-level log line at all
    expect(errorLines.slice(errorsBefore)).toEqual([]);
  }, 30_000);
});

describe('in process, on a manual clock: the edges of the replay window', () => {
  it('a replayed request is refused up to the last second its signature is valid (nonce), and after it (stale); a new nonce at that second still passes', async () => {
    const net = await startNetwork(['edge-tx', 'edge-rx']);
    try {
      const id = net.send('edge-tx', 'edge-rx');
      await net.drain();
      const tx = net.nodes['edge-tx']!.node.ctx;
      const rxNode = net.nodes['edge-rx']!;
      const rows = () => Object.values(rxNode.node.ctx.inbox.counts()).reduce((a, b) => a + b, 0);
      const opened = () => rxNode.node.ctx.inbox.messages(0, 10_000).length;
      const before = [rows(), opened()];
      const path = `${INBOX}${id}`;
      const body = Uint8Array.of(1, 2, 3);
      const now = () => Math.floor(net.clock.now() / 1000);
      const sign = (created: number, nonce: string) =>
        signRequest({ method: 'PUT', url: `${rxNode.url}${path}`, contentType: ENVELOPE_MEDIA_TYPE, body, key: tx.keys.nodeKey, node: tx.config.node, created, nonce });
      const put = async (headers: Record<string, string>) => {
        const res = await fetch(`${rxNode.url}${path}`, { method: 'PUT', headers, body });
        return { status: res.status, text: await res.text() };
      };
      let n = 0;
      const nonce = () => `edge-nonce-${String(++n).padStart(8, '0')}`;
      const unauthenticated = (await put({ 'content-type': ENVELOPE_MEDIA_TYPE })).text;
      // created now, at the future limit (+300 s) and at the past limit (-300 s)
      for (const offset of [0, 300, -300]) {
        const created = now() + offset;
        const headers = sign(created, nonce());
        expect((await put(headers)).status).toBe(400); // authenticated; the body is not an envelope
        net.clock.set((created + 300) * 1000); // the last second this signature is valid
        expect(await put(headers)).toEqual({ status: 401, text: unauthenticated });
        expect((await put(sign(created, nonce()))).status).toBe(400); // the window is still open: it was the nonce
        net.clock.set((created + 301) * 1000);
        expect(await put(headers)).toEqual({ status: 401, text: unauthenticated });
        expect(await put(sign(created, nonce()))).toEqual({ status: 401, text: unauthenticated }); // stale now
        net.clock.advance({ seconds: 5 });
      }
      expect([rows(), opened()]).toEqual(before);
    } finally {
      await net.close();
    }
  });
});
