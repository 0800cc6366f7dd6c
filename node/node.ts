import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { type Clock, LIMITS, ProtocolError, type SigningKey, ready } from '../protocol/index.js';
import { buildApp } from './app.js';
import { buildWebApp } from './web/web-app.js';
import { systemClock } from './clock.js';
import type { NodeConfig } from './config.js';
import type { NodeContext } from './context.js';
import { openDb } from './db/client.js';
import { type AuditLog, createAuditLog } from './audit/log.js';
import { createWitnesses } from './audit/witness.js';
import { createInboxStore } from './inbox/inbox.js';
import { createInboxProcessor } from './inbox/processor.js';
import { type Logger, createLogger } from './logger.js';
import { createOutboxStore } from './outbox/outbox.js';
import { createOutboxWorker } from './outbox/worker.js';
import { ensureDataDir, localToken, orgKeyFile, readOrgKey } from './admin/secrets.js';
import { type KeySource, caseKeyWrappingKey, unlockDataDir } from './admin/key-ring.js';
import { RETIRED_CERTIFICATE_SECONDS, loadOwnKeys } from './services/keys.js';
import { createKeyLifecycle } from './services/key-lifecycle.js';
import { createMessageService } from './services/messages.js';
import { readAnchor } from './directory/anchor.js';
import { createDirectory } from './directory/directory.js';
import { createCasework } from './case/casework.js';
import { indexOrgs, optimizeSearchIndex, unindexOrg } from './directory/search-index.js';
import { createPeers } from './services/peers.js';
import { createAccess } from './accounts/access.js';
import type { AccessEvents } from './accounts/access-events.js';
import { importFirstAccount } from './accounts/bootstrap.js';

export interface NodeOverrides {
  clock?: Clock;
  fetch?: typeof fetch;
  log?: Logger;
  /** the org key that certifies a new node key (tests); otherwise the data directory's org-key file */
  orgKey?: SigningKey;
  /** where failed logins and refused requests are reported (default: the access_event table) */
  accessEvents?: AccessEvents;
  /** how to unlock the data directory's key ring (node/main.ts: the passphrase from `corridor serve`); default: the configured key file */
  keySource?: KeySource;
  /**
   * the database key itself, skipping the key ring (in-process tests, to spare the KDF); `null`
   * opens a plaintext database: the benchmark's baseline only, never node/main.ts
   */
  databaseKey?: Uint8Array | null;
  /**
   * the key ring's second key, which wraps every case key (ADR 0014 step C), given raw with
   * `databaseKey` (in-process tests, the benchmark's baseline); otherwise read from the ring, or
   * added to a ring from before per-case keys on this first start
   */
  caseKeyWrappingKey?: Uint8Array;
}

export interface CorridorNode {
  readonly app: Hono;
  readonly ctx: NodeContext;
  /** the machine credential (`local-token`): acts as an operator, nobody's login (ADR 0018) */
  readonly localToken: string;
  /**
   * listen on host:port (port 0: any free port), and the web interface on its own port when
   * configured (`webPort` overrides it; 0: any free port); resolves with the URLs once listening
   */
  listen(options?: { host?: string; port?: number; webPort?: number }): Promise<{ url: string; port: number; webUrl?: string }>;
  /** run the inbox and the outbox until nothing is due (tests); returns how much was done */
  drain(): Promise<number>;
  close(): Promise<void>;
}

function keySourceOf(config: NodeConfig): KeySource {
  if (config.keyFile !== undefined) return { keyFile: config.keyFile };
  throw new ProtocolError('KeyRejected', 'no key to unlock the database: start the node with "corridor serve" (it asks for the passphrase) or set CORRIDOR_KEY_FILE', {
    issues: [{ path: 'passphrase', problem: 'missing' }],
  });
}

/** Builds a node: the same path for node/main.ts and for the tests. */
export async function createNode(config: NodeConfig, overrides: NodeOverrides = {}): Promise<CorridorNode> {
  await ready();
  // the key ring is unlocked before anything is created or opened: a wrong passphrase changes nothing
  const databaseKey = overrides.databaseKey !== undefined ? overrides.databaseKey : await unlockDataDir(config.dataDir, overrides.keySource ?? keySourceOf(config));
  if (overrides.caseKeyWrappingKey === undefined && databaseKey === null) throw new ProtocolError('Internal', 'a node without a database key needs its case-key wrapping key given');
  ensureDataDir(config.dataDir);
  const clock = overrides.clock ?? systemClock;
  const log = overrides.log ?? createLogger(config.logLevel).child(config.node);
  const handle = openDb(config.dbPath, { key: databaseKey, sync: config.dbSync });
  // the ring's second key, once the database key has proved itself by opening the database
  let caseKeys: Uint8Array;
  try {
    caseKeys = overrides.caseKeyWrappingKey ?? caseKeyWrappingKey(config.dataDir, databaseKey as Uint8Array);
  } catch (error) {
    handle.close();
    throw error;
  }
  // the audit log first (key rotation is audited); it signs checkpoints with the node key once loaded
  const audit: AuditLog = createAuditLog({ sqlite: handle.sqlite, clock, self: config.node, nodeKey: () => keys.nodeKey });
  const keys = loadOwnKeys(handle.db, {
    audit,
    node: config.node,
    org: config.org,
    orgKey: () => overrides.orgKey ?? orgKeyFile(config.dataDir, databaseKey),
    nowSeconds: Math.floor(clock.now() / 1000),
  });
  const token = localToken(config.dataDir);
  const peers = createPeers(handle.db);
  const outbox = createOutboxStore(handle.sqlite, audit);
  const abandoned = outbox.releaseAbandoned();
  if (abandoned > 0) log.info('resending what a previous run left in flight', { count: abandoned });
  const inbox = createInboxStore(handle.sqlite, audit);
  let boundUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const fetchImpl = overrides.fetch ?? fetch;
  const events = new EventEmitter();

  const worker = createOutboxWorker({
    store: outbox,
    clock,
    fetch: fetchImpl,
    log: log.child('outbox'),
    self: config.node,
    nodeKey: () => keys.nodeKey,
    peerUrl: (node) => peers.url(node),
    peerKey: (node, kid) => peers.key(node, kid),
    onReceipt: (peer, receipt) => {
      if (receipt.receipt.checkpoint) void witnesses.receive(peer, receipt.receipt.checkpoint).catch((error: unknown) => log.error('witness check failed', { peer, error: String(error) }));
    },
    onDelivered: (peer, id) => {
      events.emit('delivered', { id, to: peer });
      if (outbox.wakePeer(peer, clock.now()) > 0) worker.kick();
    },
    policy: { baseMs: config.outbox.retryBaseMs, capMs: config.outbox.retryCapMs },
    concurrency: config.outbox.concurrency,
    timeoutMs: config.outbox.sendTimeoutMs,
    pollMs: config.outbox.pollMs,
    keyInTransition: () => keys.nodeKeys().some((k) => k.retiredAt !== null && k.retiredAt + RETIRED_CERTIFICATE_SECONDS * 1000 > clock.now()),
  });
  const witnesses = createWitnesses({
    sqlite: handle.sqlite,
    clock,
    log: log.child('audit'),
    self: config.node,
    nodeKey: () => keys.nodeKey,
    peerKey: (node, kid) => peers.key(node, kid),
    peerUrl: (node) => peers.url(node),
    fetch: fetchImpl,
    timeoutMs: config.outbox.sendTimeoutMs,
    alert: (a) => inbox.alert(a),
  });
  // signing our directory entry needs the org key; if the operator moved it offline, say so
  const orgKey = () => {
    const key = overrides.orgKey ?? readOrgKey(config.dataDir, databaseKey);
    if (!key) throw new ProtocolError('OrgKeyAbsent', 'the org key is not on this node: put the org-key file back in the data directory to sign, then remove it again');
    return key;
  };
  const directory = createDirectory({
    sqlite: handle.sqlite,
    anchor: readAnchor(config.dataDir),
    peers,
    index: { indexOrgs, unindexOrg, optimize: optimizeSearchIndex },
    clock,
    log: log.child('directory'),
    fetch: fetchImpl,
    self: { node: config.node, org: config.org },
    nodeKey: () => keys.nodeKey,
    orgKey,
    certificates: (now) => keys.publishedCertificates(now),
    onInstalled: (nowMs) => {
      keyLifecycle.activate(nowMs);
      keyLifecycle.flagSignedAfterCompromise(nowMs);
    },
    publicUrl: () => boundUrl,
    maxBytes: Math.min(config.maxBodyBytes, LIMITS.maxEnvelopeBytes),
    timeoutMs: config.outbox.sendTimeoutMs,
    alert: (a) => inbox.alert(a),
    audit,
  });
  const keyLifecycle = createKeyLifecycle({
    self: { node: config.node, org: config.org },
    keys,
    directory: () => directory,
    orgKey,
    sqlite: handle.sqlite,
    clock,
    log: log.child('keys'),
    rotateAfterDays: config.nodeKeyRotateDays,
    alert: (a) => inbox.alert(a),
    audit,
  });
  const messages = createMessageService({
    self: config.node,
    handle,
    clock,
    keys,
    peers,
    outbox,
    directory: () => directory.ref(),
    onEnqueued: () => worker.kick(),
  });
  const casework = createCasework({
    sqlite: handle.sqlite,
    self: { node: config.node, org: config.org },
    clock,
    log: log.child('casework'),
    messages,
    peers,
    directory,
    nodeKey: () => keys.nodeKey,
    peerKey: (node, kid) => peers.key(node, kid),
    files: { dataDir: config.dataDir, fetch: fetchImpl, ownKey: (kid) => keys.ownTrusted(kid) },
    alert: (a) => inbox.alert(a),
    audit,
    retentionDays: config.retentionDays,
    receiptEscalationDays: config.receiptEscalationDays,
    caseKeyWrappingKey: caseKeys,
  });
  const processor = createInboxProcessor({ self: config.node, handle, clock, log: log.child('inbox'), inbox, outbox, keys, peers, messages, onEnqueued: () => worker.kick(), onDirectoryRef: (peer, ref) => directory.sync.notice(peer, ref), onMessage: (m, nowMs) => casework.receiver.apply(m, nowMs), checkpoint: () => audit.checkpoint(), onCheckpoint: (peer, signed) => void witnesses.receive(peer, signed).catch((error: unknown) => log.error('witness check failed', { peer, error: String(error) })) });

  const access = createAccess(handle.sqlite, clock, config.sessions, overrides.accessEvents, audit);
  if (importFirstAccount(config.dataDir, access.accounts, clock.now()) === 'ignored') log.warn('first-account.json is in the data directory but accounts exist: remove it');

  const lastReachable = new Map<string, number>();
  const ctx: NodeContext = {
    config,
    events,
    clock,
    fetch: fetchImpl,
    log,
    handle,
    keys,
    peers,
    outbox,
    worker,
    inbox,
    processor,
    messages,
    directory,
    casework,
    keyLifecycle,
    audit,
    access,
    publicUrl: () => boundUrl,
    peerReachable: (node) => {
      const now = clock.now();
      if (now - (lastReachable.get(node) ?? 0) < 1000) return;
      lastReachable.set(node, now);
      peers.markSeen(node, now);
      if (outbox.wakePeer(node, now) > 0) worker.kick();
    },
  };
  keyLifecycle.activate(clock.now()); // a version that certifies a pending key may have come in before a stop
  const app = buildApp(ctx, token);
  let server: ServerType | null = null;
  let webServer: ServerType | null = null;
  let rotation: NodeJS.Timeout | null = null;
  let sweep: NodeJS.Timeout | null = null;
  let refreshTimer: NodeJS.Timeout | null = null;

  return {
    app,
    ctx,
    localToken: token,
    listen(options = {}) {
      const host = options.host ?? config.host;
      return new Promise((resolve, reject) => {
        const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? config.port }, (info: AddressInfo) => {
          boundUrl = config.publicUrl ?? `http://${host}:${info.port}`;
          log.info('listening', { url: boundUrl });
          if (config.outbox.autoStart) {
            worker.start();
            const refresh = () => void directory.sync.sync().catch((error: unknown) => log.error('directory refresh failed', { error: String(error) }));
            refresh();
            refreshTimer = setInterval(refresh, config.directoryRefreshMs);
            refreshTimer.unref();
          }
          processor.kick();
          processor.flushAcks(); // acks a previous run had not sent yet
          rotation = setInterval(() => {
            try {
              const { created } = keys.rotate(Math.floor(clock.now() / 1000));
              if (created) log.info('new prekey', { kid: created });
              keyLifecycle.tick(clock.now()); // node key: switch when published, rotate when due
              if (keys.trusted.notAfter - clock.now() / 1000 < 14 * 86_400) log.warn('the node key expires within 14 days: bring the org key and run corridor keys rotate --node-key');
            } catch (error) {
              log.error('key rotation failed', { error: error instanceof Error ? error.message : 'unknown' });
            }
          }, 6 * 3600 * 1000);
          rotation.unref();
          // a slow pass over the inbox and pending acks, in case a trigger was missed
          sweep = setInterval(() => {
            processor.kick();
            try {
              audit.checkpoint(); // a signed checkpoint over what the last 30 seconds appended (none if nothing did)
            } catch (error) {
              log.error('audit checkpoint failed', { error: String(error) });
            }
            try {
              processor.flushAcks();
            } catch (error) {
              log.error('acknowledging failed', { error: String(error) });
            }
            try {
              casework.sweep(clock.now()); // withdrawal notices, consent expiry, overdue receipts, retention
            } catch (error) {
              log.error('case sweep failed', { error: error instanceof Error ? error.name : 'unknown' });
            }
            void casework.attachments.fetchPending(); // attachments whose sender was offline
          }, 30_000);
          sweep.unref();
          const web = options.webPort !== undefined ? { host: config.web?.host ?? host, port: options.webPort } : config.web;
          if (!web) return resolve({ url: boundUrl, port: info.port });
          const webApp = buildWebApp({ localFetch: (request) => app.fetch(request), onError: (error, path) => log.error('web page failed', { path, error: error.name, at: error.stack?.split('\n')[1]?.trim() }) });
          const w = serve({ fetch: webApp.fetch, hostname: web.host, port: web.port }, (webInfo: AddressInfo) => {
            const webUrl = `http://${web.host}:${webInfo.port}`;
            log.info('web interface', { url: webUrl });
            resolve({ url: boundUrl, port: info.port, webUrl });
          });
          w.once('error', reject);
          webServer = w;
        });
        s.once('error', reject);
        server = s;
      });
    },
    async drain() {
      let total = 0;
      for (let round = 0; round < 1000; round++) {
        const done = processor.drain() + (await worker.drain());
        total += done;
        if (done === 0) break;
      }
      return total;
    },
    async close() {
      if (rotation) clearInterval(rotation);
      if (sweep) clearInterval(sweep);
      if (refreshTimer) clearInterval(refreshTimer);
      await worker.stop();
      for (const s of [webServer, server]) {
        if (!s) continue;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          if ('closeAllConnections' in s) s.closeAllConnections();
        });
      }
      server = null;
      webServer = null;
      handle.close();
    },
  };
}
