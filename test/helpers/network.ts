import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NodeDescriptor, SigningKey, hashPassword, messageType, sha256 } from '../../protocol/index.js';
import { type ManualClock, manualClock } from '../../node/clock.js';
import type { NodeConfig } from '../../node/config.js';
import { type CorridorNode, createNode } from '../../node/node.js';
import { createLogger } from '../../node/logger.js';
import { offerBody } from './messages.js';
import { T0 } from './time.js';
import { TEST_CASE_KEY_WRAPPING_KEY, TEST_DATABASE_KEY } from './node-db.js';

/**
 * Real nodes in one process, each with its own SQLite file in a temporary directory, listening
 * on 127.0.0.1 at a port the OS picks, with a manual clock and a fetch that can cut any node
 * off (as if its office lost its connection for days). Nothing is mocked: HTTP, signatures,
 * SQLite and the crypto are the production path.
 */

export function testConfig(name: string, dataDir: string, overrides: Partial<NodeConfig> = {}): NodeConfig {
  return {
    node: `node:${name}`,
    org: `org:${name}`,
    dataDir,
    dbPath: join(dataDir, 'corridor.db'),
    host: '127.0.0.1',
    port: 0,
    publicUrl: undefined,
    maxBodyBytes: 4 * 1024 * 1024,
    logLevel: 'silent',
    outbox: { autoStart: false, pollMs: 1000, concurrency: 16, retryBaseMs: 30_000, retryCapMs: 6 * 3600_000, sendTimeoutMs: 5000 },
    dbSync: 'normal',
    directoryRefreshMs: 3_600_000,
    retentionDays: 730,
    receiptEscalationDays: 7,
    nodeKeyRotateDays: 180,
    // the manual clock jumps days and years; tests of expiry set their own
    sessions: { idleMs: 100 * 365 * 86_400_000, absoluteMs: 100 * 365 * 86_400_000 },
    ...overrides,
  };
}

export const orgKeyOf = (name: string) => SigningKey.fromSeed('org', sha256(new TextEncoder().encode(`corridor test org ${name}`)));

export interface TestNode {
  readonly name: string;
  readonly id: string;
  readonly node: CorridorNode;
  readonly url: string;
  readonly dataDir: string;
  /** a coordinator's session token (case work); `node.localToken` is the machine credential (operator) */
  readonly token: string;
  /** the web interface, when the network was started with `web: true` */
  readonly webUrl?: string;
}

export const TEST_PASSWORD = 'correct horse battery staple';

// one real scrypt hash of TEST_PASSWORD per test process, shared by the helper accounts
let testHash: Promise<string> | null = null;
const testPasswordHash = () => (testHash ??= hashPassword(TEST_PASSWORD));

/** Signs an account in over HTTP; returns the session token. */
export async function sessionFor(url: string, name: string, password = TEST_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  if (res.status !== 201) throw new Error(`signing in ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Creates an account with the machine credential and signs it in; returns the session token. */
export async function signIn(url: string, machineToken: string, account: { name: string; role: 'case-worker' | 'coordinator' | 'operator'; team?: string | null }): Promise<string> {
  const headers = { authorization: `Bearer ${machineToken}`, 'content-type': 'application/json' };
  const made = await fetch(`${url}/api/v1/accounts`, { method: 'POST', headers, body: JSON.stringify({ name: account.name, displayName: account.name, role: account.role, team: account.team ?? null, password: TEST_PASSWORD }) });
  if (made.status !== 201) throw new Error(`creating account ${account.name}: ${made.status} ${await made.text()}`);
  const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: account.name, password: TEST_PASSWORD }) });
  if (res.status !== 201) throw new Error(`signing in ${account.name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export interface TestNetwork {
  readonly nodes: Record<string, TestNode>;
  readonly clock: ManualClock;
  /** calls to and from this node fail like a dead connection */
  partition(name: string): void;
  heal(name: string): void;
  /** only the link between two nodes fails (both ways) */
  cutBetween(a: string, b: string): void;
  healBetween(a: string, b: string): void;
  /** run every node's inbox and outbox until a whole round does nothing */
  drain(): Promise<number>;
  /** send a referral offer from one node to another (a real message type), returns its id */
  send(from: string, to: string, options?: { thid?: string; summary?: string; lifetime?: number }): string;
  close(): Promise<void>;
}

export interface NetworkOptions {
  clock?: ManualClock;
  logLevel?: NodeConfig['logLevel'];
  /** runs before each node is created (e.g. to place the directory anchor in its data directory) */
  prepare?: (name: string, dataDir: string) => void;
  /** admit every node at every other by descriptor and org key (default); off: peers come from the directory */
  admit?: boolean;
  /** serve each node's web interface too, on a free port (TestNode.webUrl) */
  web?: boolean;
}

export async function startNetwork(names: string[], options: NetworkOptions = {}): Promise<TestNetwork> {
  const clock = options.clock ?? manualClock(T0 * 1000);
  const cut = new Set<string>();
  const links = new Set<string>();
  const link = (a: string, b: string) => [a, b].sort().join('|');
  const hostOf = new Map<string, string>(); // "127.0.0.1:port" → name
  const nodes: Record<string, TestNode> = {};

  const fetchFor =
    (name: string): typeof fetch =>
    async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const target = hostOf.get(url.host);
      if (cut.has(name) || (target !== undefined && (cut.has(target) || links.has(link(name, target))))) throw new TypeError('fetch failed: network is unreachable (test partition)');
      return fetch(input, init);
    };

  for (const name of names) {
    const dataDir = mkdtempSync(join(tmpdir(), `corridor-${name}-`));
    const config = testConfig(name, dataDir, { logLevel: options.logLevel ?? 'silent' });
    options.prepare?.(name, dataDir);
    const node = await createNode(config, { clock, fetch: fetchFor(name), orgKey: orgKeyOf(name), log: createLogger(config.logLevel).child(config.node), databaseKey: TEST_DATABASE_KEY, caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY });
    const { url, webUrl } = await node.listen({ host: '127.0.0.1', port: 0, ...(options.web ? { webPort: 0 } : {}) });
    hostOf.set(new URL(url).host, name);
    node.ctx.access.accounts.insertHashed({ name: 'coordinator', displayName: 'Coordinator', role: 'coordinator', team: null, password: await testPasswordHash() }, clock.now());
    const token = await sessionFor(url, 'coordinator');
    nodes[name] = { name, id: config.node, node, url, dataDir, token, ...(webUrl ? { webUrl } : {}) };
  }

  // phase two: every node admits every other from its descriptor and its org key
  for (const a of options.admit === false ? [] : Object.values(nodes)) {
    const descriptor = (await (await fetch(`${a.url}/.well-known/corridor`)).json()) as NodeDescriptor;
    for (const b of Object.values(nodes)) {
      if (a !== b) b.node.ctx.peers.admit(descriptor, orgKeyOf(a.name).publicKey, clock.now());
    }
  }

  const drain = async () => {
    let total = 0;
    for (let round = 0; round < 200; round++) {
      let done = 0;
      for (const n of Object.values(nodes)) done += await n.node.drain();
      total += done;
      if (done === 0) break;
    }
    return total;
  };

  return {
    nodes,
    clock,
    partition: (name) => cut.add(name),
    heal: (name) => cut.delete(name),
    cutBetween: (a, b) => links.add(link(a, b)),
    healBetween: (a, b) => links.delete(link(a, b)),
    drain,
    send(from, to, opts = {}) {
      const sender = nodes[from];
      const receiver = nodes[to];
      if (!sender || !receiver) throw new Error(`unknown node ${from} or ${to}`);
      return sender.node.ctx.messages.send({
        to: receiver.id,
        typ: messageType('referral', 'offer'),
        body: offerBody(opts.summary),
        ...(opts.thid ? { thid: opts.thid } : {}),
        ...(opts.lifetime ? { lifetime: opts.lifetime } : {}),
      });
    },
    async close() {
      for (const n of Object.values(nodes)) {
        await n.node.close();
        rmSync(n.dataDir, { recursive: true, force: true });
      }
    },
  };
}
