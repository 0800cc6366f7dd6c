import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNodeDb } from './node-db.js';
import type { Sqlite } from '../../node/db/client.js';
import { expect } from 'vitest';
import {
  type NodeDescriptor,
  SigningKey,
  type TrustedNodeKey,
  type VerifiedPrekey,
  createMessage,
  fromBase64Url,
  messageType,
  seal,
  verifyPrekey,
} from '../../protocol/index.js';
import type { Material } from './bad-requests.js';
import { DIR, offerBody } from './messages.js';
import { type NodeProcess, connectProcesses, startNodeProcess } from './process.js';
import { Rng } from './seeded-rng.js';

/**
 * The stage of the bad-input test: a receiver and an honest sender, both real node processes
 * with their own data directories. `start()` lets the sender deliver one real referral offer and
 * waits until that exchange is over; the attacker's material is then read from the sender's
 * database (that envelope, the sender's node key) and the receiver's descriptor (its prekey, to
 * seal never-seen envelopes). The receiver's error-level log lines and its exit are recorded, and
 * its database is open read-only to count what got stored. `close()` ends only these processes
 * and removes their directories, also after a `start()` that failed half way.
 */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export const count = (db: Sqlite, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;

export class BadInputNodes {
  readonly #seed: number;
  readonly #procs: NodeProcess[] = [];
  readonly #dirs: string[] = [];
  readonly #dbs: Sqlite[] = [];
  #prekey!: VerifiedPrekey;
  #senderKey!: SigningKey;
  rx!: NodeProcess;
  tx!: NodeProcess;
  /** the receiver's database, read-only */
  rxDb!: Sqlite;
  material!: Material;
  /** the receiver's error-level log lines */
  readonly errorLines: string[] = [];
  /** how the receiver process ended, if it did */
  rxExit: string | null = null;

  /** `seed` seeds the material's PRNG */
  constructor(seed: number) {
    this.#seed = seed;
  }

  inboxRows = () => count(this.rxDb, 'SELECT count(*) AS n FROM inbox_item');
  messageRows = () => count(this.rxDb, 'SELECT count(*) AS n FROM message');
  alertRows = () => count(this.rxDb, 'SELECT count(*) AS n FROM alert');

  /** a new valid envelope for the receiver, sealed and signed as the sender's node would */
  sealFresh(): { id: string; envelope: Uint8Array } {
    const message = createMessage({ typ: messageType('referral', 'offer'), from: this.tx.id, kid: this.#senderKey.kid, to: this.rx.id, dir: DIR, body: offerBody() }, Date.now());
    return { id: message.id, envelope: seal(message, this.#senderKey, this.#prekey).envelope };
  }

  async start(): Promise<void> {
    const procs = this.#procs;
    for (const name of ['bad-rx', 'bad-tx']) {
      const dir = mkdtempSync(join(tmpdir(), `corridor-${name}-`));
      this.#dirs.push(dir);
      procs.push(await startNodeProcess(name, dir));
    }
    const [rx, tx] = procs as [NodeProcess, NodeProcess];
    this.rx = rx;
    this.tx = tx;
    rx.child.once('exit', (code, signal) => {
      this.rxExit = `exit ${code} ${signal}`;
    });
    let partial = '';
    rx.child.stderr?.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l.includes('"level":"error"')) this.errorLines.push(l);
    });
    await connectProcesses(procs);

    // the honest way: the sender seals a referral offer for the receiver and delivers it
    const res = await tx.local('/api/v1/messages', { method: 'POST', body: JSON.stringify({ to: rx.id, typ: messageType('referral', 'offer'), body: offerBody() }) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    const txDb = readNodeDb(tx.dataDir);
    const rxDb = readNodeDb(rx.dataDir);
    this.rxDb = rxDb;
    this.#dbs.push(txDb, rxDb);
    const row = await until('the outbox row', () => txDb.prepare('SELECT envelope FROM outbox_item WHERE id = ?').get(id) as { envelope: Buffer } | undefined);
    // wait until the exchange is over (stored, opened, acknowledged), so no honest traffic runs below
    await until('the acknowledgement', () => (txDb.prepare('SELECT state FROM outbox_item WHERE id = ?').get(id) as { state: string }).state === 'acknowledged');
    await until('the receiver processed it', () => (rxDb.prepare('SELECT state FROM inbox_item WHERE id = ?').get(id) as { state: string } | undefined)?.state === 'processed');
    await until('the ack delivered', () => count(rxDb, "SELECT count(*) AS n FROM outbox_item WHERE state NOT IN ('delivered', 'acknowledged')") === 0);

    const seed = txDb.prepare("SELECT secret FROM own_key WHERE kind = 'node' AND destroyedAt IS NULL").get() as { secret: Buffer };
    const senderKey = SigningKey.fromSeed('node', new Uint8Array(seed.secret));
    this.#senderKey = senderKey;
    const txDescriptor = (await (await fetch(`${tx.url}/.well-known/corridor`)).json()) as NodeDescriptor;
    expect(senderKey.kid).toBe(txDescriptor.nodeKeys[0]?.key.kid);

    const descriptor = (await (await fetch(`${rx.url}/.well-known/corridor`)).json()) as NodeDescriptor;
    const cert = descriptor.nodeKeys[0]!.key;
    const rxKey: TrustedNodeKey = { node: cert.node, kid: cert.kid, publicKey: fromBase64Url(cert.publicKey)!, notBefore: cert.notBefore, notAfter: cert.notAfter };
    const verified = verifyPrekey(descriptor.prekeys[0], rxKey, Math.floor(Date.now() / 1000));
    if (!verified.ok) throw new Error(`receiver prekey: ${verified.code}`);
    this.#prekey = verified.value;

    const url = new URL(rx.url);
    const freshPool = Array.from({ length: 128 }, () => this.sealFresh());
    const rng = new Rng(this.#seed);
    this.material = {
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
  }

  async close(): Promise<void> {
    for (const db of this.#dbs) db.close();
    for (const p of this.#procs) await p.kill('SIGTERM');
    for (const d of this.#dirs) rmSync(d, { recursive: true, force: true });
  }
}
