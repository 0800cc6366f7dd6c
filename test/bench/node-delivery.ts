import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import {
  ENVELOPE_MEDIA_TYPE,
  type NodeDescriptor,
  createMessage,
  messageType,
  open,
  readEnvelope,
  seal,
  sha256,
  signReceipt,
  signRequest,
  toBase64Url,
  verifyReceipt,
  verifyRequest,
} from '../../protocol/index.js';
import { createNode } from '../../node/node.js';
import { applyKey } from '../../node/db/client.js';
import { orgKeyOf, testConfig } from '../helpers/network.js';
import { type NodeProcess, startNodeProcess } from '../helpers/process.js';
import { TEST_CASE_KEY_WRAPPING_KEY, TEST_DATABASE_KEY } from '../helpers/node-db.js';
import type { BenchLine } from './envelope.js';
import { round2, round3 } from './measure.js';

/**
 * Sustained delivery between two node processes at 2 KiB bodies: this process hosts the sender
 * node (the same createNode as node/main.ts), the receiver is a separate `dist/node/main.js`
 * process. Per message: sign, seal, enqueue (SQLite), HTTP-sign, PUT; the receiver verifies,
 * stores durably, signs a receipt; the sender verifies it; the receiver then opens and verifies
 * the inner message and acks it. Closed loop with 1, 16 and 50 messages in flight. Baselines in
 * the same run: (a) a bare Hono POST of the same body, (b) the same primitives and one SQLite
 * insert in a loop with no HTTP (the floor). Plus idle RSS and time to listening. Both nodes run
 * encrypted as in production; the same delivery with both databases in plaintext is measured
 * in the same run for the cost of encryption at rest (ADR 0014; goal: at least 0.8 of plain).
 */

const BODY_BYTES = 2048;
const PLAIN_NODE = fileURLToPath(new URL('./plain-node.js', import.meta.url));
const encoder = new TextEncoder();
const CONSENT = { id: '01JDQ8Z3K8Q4W6X2M7N5P0R1S2', hash: toBase64Url(sha256(encoder.encode('consent'))) };

function body2k(now: number): Record<string, unknown> {
  const body = {
    referralId: '01JDQ8Z3K8Q4W6X2M7N5P0R1S3',
    consent: CONSENT,
    purpose: 'return-travel',
    case: { person: { givenName: 'Jelena', languages: ['sr'] }, notes: '' },
    riskToLife: { basis: 'vital-interests', level: 'medium', threats: [], assessedAt: now - 60, assessedBy: 'org:lefoe-ibf' },
  };
  body.case.notes = 'n'.repeat(BODY_BYTES - encoder.encode(JSON.stringify(body)).length);
  return body;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function closedLoop(concurrency: number, count: number, one: () => Promise<void>): Promise<{ perSecond: number; p50: number; p99: number; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const t = performance.now();
        await one();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), seconds };
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function startBare(): Promise<{ url: string; pid: number; ms: number; stop: () => void }> {
  const t = performance.now();
  const child = spawn(process.execPath, [fileURLToPath(new URL('./bare-server.js', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('listening'));
      if (line) resolve((JSON.parse(line) as { listening: string }).listening);
    });
    child.once('exit', (code) => reject(new Error(`bare server exited ${code}`)));
  });
  return { url, pid: child.pid ?? 0, ms: performance.now() - t, stop: () => child.kill('SIGTERM') };
}

/** The floor: every primitive of one delivery and one SQLite insert, in a loop, no HTTP. */
function floor(sender: Awaited<ReturnType<typeof createNode>>, receiverKeys: { nodeKey: import('../../protocol/index.js').SigningKey; held: import('../../protocol/index.js').HeldPrekey; verified: import('../../protocol/index.js').VerifiedPrekey }, seconds: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-floor-'));
  const db = new Database(join(dir, 'floor.db'));
  applyKey(db, TEST_DATABASE_KEY); // encrypted, as the nodes' databases
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE inbox_item (seq INTEGER PRIMARY KEY, sender TEXT, id TEXT, ctSha256 TEXT, envelope BLOB, receivedAt INTEGER, receipt TEXT, state TEXT, UNIQUE (sender, id))');
  const insert = db.prepare(`INSERT INTO inbox_item (sender, id, ctSha256, envelope, receivedAt, receipt, state) VALUES (?, ?, ?, ?, ?, ?, 'stored')`);
  const senderKey = sender.ctx.keys.nodeKey;
  const senderTrusted = sender.ctx.keys.trusted;
  const receiverTrusted = { node: 'node:astra', kid: receiverKeys.nodeKey.kid, publicKey: receiverKeys.nodeKey.publicKey, notBefore: 0, notAfter: 4e9 };
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    const nowMs = Date.now();
    const now = Math.floor(nowMs / 1000);
    const m = createMessage({ typ: messageType('referral', 'handover'), from: 'node:lefoe', kid: senderKey.kid, to: 'node:astra', dir: { version: 0, hash: CONSENT.hash }, consent: CONSENT, body: body2k(now) }, nowMs);
    const sealed = seal(m, senderKey, receiverKeys.verified);
    const url = `http://127.0.0.1:1/federation/v1/inbox/${m.id}`;
    const headers = signRequest({ method: 'PUT', url, contentType: ENVELOPE_MEDIA_TYPE, body: sealed.envelope, key: senderKey, node: 'node:lefoe', created: now, nonce: toBase64Url(sha256(encoder.encode(m.id))).slice(0, 22) });
    const v = verifyRequest({ method: 'PUT', url, headers: new Headers(headers), body: sealed.envelope, now, resolveKey: () => senderTrusted });
    if (!v.ok) throw new Error(`floor: ${v.problem}`);
    const header = readEnvelope(sealed.envelope);
    if (!header.ok) throw new Error('floor: header');
    const ct = toBase64Url(sha256(sealed.envelope));
    const receipt = signReceipt(receiverKeys.nodeKey, { v: 'corridor/1', id: m.id, from: 'node:lefoe', to: 'node:astra', ctSha256: ct, receivedAt: now, kid: receiverKeys.nodeKey.kid });
    insert.run('node:lefoe', m.id, ct, Buffer.from(sealed.envelope), nowMs, JSON.stringify(receipt));
    if (!verifyReceipt(receipt, receiverTrusted).ok) throw new Error('floor: receipt');
    const opened = open(sealed.envelope, { self: 'node:astra', now, prekey: () => receiverKeys.held, senderKey: () => senderTrusted });
    if (!opened.ok) throw new Error(`floor: open ${opened.code}`);
    ops++;
  }
  const perSecond = ops / ((performance.now() - start) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return perSecond;
}

/** A sender in this process and a receiver process, admitted to each other; encrypted (production) or plain (the baseline). */
async function startPair(mode: 'encrypted' | 'plain') {
  const receiverDir = mkdtempSync(join(tmpdir(), `corridor-bench-astra-${mode}-`));
  const senderDir = mkdtempSync(join(tmpdir(), `corridor-bench-lefoe-${mode}-`));
  const t0 = performance.now();
  const receiver: NodeProcess = await startNodeProcess('astra', receiverDir, { CORRIDOR_LOG_LEVEL: 'error' }, mode === 'plain' ? PLAIN_NODE : undefined);
  const startupMs = performance.now() - t0;
  const sender = await createNode(testConfig('lefoe', senderDir, { logLevel: 'error', outbox: { autoStart: true, pollMs: 50, concurrency: 64, retryBaseMs: 1000, retryCapMs: 2000, sendTimeoutMs: 10_000 } }), {
    orgKey: orgKeyOf('lefoe'),
    databaseKey: mode === 'plain' ? null : TEST_DATABASE_KEY,
    caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY,
  });
  await sender.listen({ host: '127.0.0.1', port: 0 });
  const receiverDescriptor = (await (await fetch(`${receiver.url}/.well-known/corridor`)).json()) as NodeDescriptor;
  sender.ctx.peers.admit(receiverDescriptor, receiver.orgPublicKey(), Date.now());
  const senderDescriptor = await (await fetch(`${sender.ctx.publicUrl()}/.well-known/corridor`)).json();
  const admitted = await receiver.local('/api/v1/peers', { method: 'PUT', body: JSON.stringify({ descriptor: senderDescriptor, orgPublicKey: toBase64Url(orgKeyOf('lefoe').publicKey) }) });
  if (admitted.status !== 200) throw new Error(`admit: ${admitted.status}`);

  const waiting = new Map<string, () => void>();
  sender.ctx.events.on('delivered', (e: { id: string }) => waiting.get(e.id)?.());
  const deliverOne = () =>
    new Promise<void>((resolve) => {
      const id = sender.ctx.messages.send({ to: 'node:astra', typ: messageType('referral', 'handover'), body: body2k(Math.floor(Date.now() / 1000)), consent: CONSENT });
      waiting.set(id, () => {
        waiting.delete(id);
        resolve();
      });
    });
  const processedAll = async () => {
    for (let i = 0; i < 600; i++) {
      const status = (await (await receiver.local('/api/v1/status')).json()) as { inbox: Record<string, number> };
      if (!status.inbox.stored) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** sent, stored, receipted and opened at the receiver: sustained msgs/s, with the latencies until the receipt */
  const measure = async (concurrency: number, count: number) => {
    const start = performance.now();
    const loop = await closedLoop(concurrency, count, deliverOne);
    await processedAll();
    return { sustained: count / ((performance.now() - start) / 1000), loop };
  };
  return {
    receiver,
    sender,
    startupMs,
    deliverOne,
    processedAll,
    measure,
    async close() {
      await sender.close();
      await receiver.kill('SIGTERM');
      rmSync(receiverDir, { recursive: true, force: true });
      rmSync(senderDir, { recursive: true, force: true });
      rmSync(`${receiverDir}.key`, { force: true });
    },
  };
}

export async function benchNodeDelivery(): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const pair = await startPair('encrypted');
  const { receiver, sender, startupMs, deliverOne, processedAll } = pair;
  const bare = await startBare();
  await new Promise((r) => setTimeout(r, 1500));
  const idle = { node: rssMiB(receiver.child.pid ?? 0), bare: rssMiB(bare.pid) };
  const bareBody = new Uint8Array(BODY_BYTES).fill(0x6e);
  const bareOne = async () => {
    const res = await fetch(`${bare.url}/echo`, { method: 'POST', body: bareBody, headers: { 'content-type': 'application/octet-stream' } });
    await res.arrayBuffer();
  };

  await closedLoop(16, 300, deliverOne); // warm-up
  await processedAll();
  await closedLoop(16, 300, bareOne);

  // the floor needs a receiver's keys in this process: a second in-process key set for the same shapes
  const floorReceiver = await createNode(testConfig('astra', mkdtempSync(join(tmpdir(), 'corridor-floor-astra-')), { logLevel: 'error' }), { orgKey: orgKeyOf('astra'), databaseKey: TEST_DATABASE_KEY, caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY });
  const prekeyCert = floorReceiver.ctx.keys.currentPrekey();
  const held = floorReceiver.ctx.keys.heldPrekey(prekeyCert.kid)!;
  const { verifyPrekey } = await import('../../protocol/index.js');
  const verified = verifyPrekey(prekeyCert, { ...floorReceiver.ctx.keys.trusted, node: 'node:astra' }, Math.floor(Date.now() / 1000));
  if (!verified.ok) throw new Error('floor prekey');
  const floorRate = floor(sender, { nodeKey: floorReceiver.ctx.keys.nodeKey, held, verified: verified.value }, 3);
  await floorReceiver.close();

  // the same delivery with both databases in plaintext, interleaved with the encrypted runs (ADR 0014)
  const plain = await startPair('plain');
  await closedLoop(16, 300, plain.deliverOne); // warm-up
  await plain.processedAll();
  const versus: Record<string, { encrypted_msgs_per_s: number; plain_msgs_per_s: number; ratio: number }> = {};

  for (const concurrency of [1, 16, 50]) {
    const count = concurrency === 1 ? 600 : 3000;
    // alternate which runs first, so a drift of the machine's load does not favour one side
    const plainFirst = concurrency === 16;
    const plainRun = plainFirst ? await plain.measure(concurrency, count) : null;
    const { sustained, loop: node } = await pair.measure(concurrency, count);
    const plainSustained = (plainRun ?? (await plain.measure(concurrency, count))).sustained;
    versus[String(concurrency)] = { encrypted_msgs_per_s: round2(sustained), plain_msgs_per_s: round2(plainSustained), ratio: round3(sustained / plainSustained) };
    const bareRun = await closedLoop(concurrency, count, bareOne);
    lines.push({
      bench: 'node-delivery',
      concurrency,
      body_bytes: BODY_BYTES,
      messages: count,
      msgs_per_s: round2(sustained),
      delivered_per_s: round2(node.perSecond),
      p50_ms: round2(node.p50),
      p99_ms: round2(node.p99),
      baseline_bare_hono_msgs_per_s: round2(bareRun.perSecond),
      baseline_bare_hono_p50_ms: round2(bareRun.p50),
      baseline_bare_hono_p99_ms: round2(bareRun.p99),
      ratio_to_bare_hono: round3(sustained / bareRun.perSecond),
      floor_ops_per_s: round2(floorRate),
      ratio_to_floor: round3(sustained / floorRate),
      goal_msgs_per_s: 2000,
      goal_ratio_to_floor: 0.6,
      ...(concurrency === 16 ? { goal_p99_ms: 20 } : {}),
      note: 'msgs_per_s: sent, stored, receipted, opened at the receiver (sustained); delivered_per_s: until the receipt verified',
    });
  }

  lines.push({
    bench: 'node-idle',
    rss_mib: round2(idle.node),
    startup_ms: round2(startupMs),
    baseline: 'bare Hono server process (same framework, no crypto, no SQLite)',
    baseline_rss_mib: round2(idle.bare),
    baseline_startup_ms: round2(bare.ms),
    ratio_rss: round3(idle.node / idle.bare),
    ratio_startup: round3(startupMs / bare.ms),
    goal_rss_mib: 100,
    goal_startup_ms: 1000,
  });

  lines.push({
    bench: 'node-delivery-encrypted-vs-plain',
    body_bytes: BODY_BYTES,
    by_in_flight: versus,
    ratio_at_16: versus['16']?.ratio ?? 0,
    goal_ratio: 0.8,
    baseline: 'the same two nodes with both databases opened without a key (test/bench/plain-node.ts), measured in the same run, interleaved',
    note: 'encrypted: SQLite3 Multiple Ciphers chacha20 with a raw key, as every node runs (ADR 0014); one run per side and in-flight level, so the machine\'s noise shows in the ratios',
  });

  await pair.close();
  await plain.close();
  bare.stop();
  return lines;
}
