import type Database from 'better-sqlite3-multiple-ciphers';
import { type Clock, type DirectoryRef, type NodeKeyCertificate, ProtocolError, type SigningKey } from '../../protocol/index.js';
import type { AuditRecorder } from '../audit/log.js';
import type { Logger } from '../logger.js';
import type { Peers } from '../services/peers.js';
import { type SearchIndexer, createInstaller } from './install.js';
import { createOwnEntries } from './own-entry.js';
import { type DirectoryAnchor, createDirectoryStore } from './store.js';
import { createDirectorySync } from './sync.js';

/**
 * The directory as the rest of the node sees it: what we hold (store), how a version gets in
 * (installer: from a peer through sync, or from a file or the stewards through the local API),
 * our own entry and listings (own), and whether a new referral may start now (freeze).
 */

export interface DirectoryDeps {
  sqlite: Database.Database;
  anchor: DirectoryAnchor | null;
  peers: Peers;
  index: SearchIndexer;
  clock: Clock;
  log: Logger;
  fetch: typeof fetch;
  self: { node: string; org: string };
  nodeKey: () => SigningKey;
  orgKey: () => SigningKey;
  certificates: (nowSeconds: number) => NodeKeyCertificate[];
  /** after a version was installed (our own key may now be certified) */
  onInstalled?: (nowMs: number) => void;
  publicUrl: () => string;
  maxBytes: number;
  timeoutMs: number;
  alert(a: { at: number; kind: string; peer?: string | null; code?: string | null }): void;
  /** the audit log (node/audit/log.ts) */
  audit?: AuditRecorder;
}

export function createDirectory(deps: DirectoryDeps) {
  const store = createDirectoryStore(deps.sqlite, deps.anchor);
  const installer = createInstaller({ sqlite: deps.sqlite, store, peers: deps.peers, index: deps.index, log: deps.log, self: deps.self, alert: deps.alert, ...(deps.onInstalled ? { onInstalled: deps.onInstalled } : {}), ...(deps.audit ? { audit: deps.audit } : {}) });
  const sync = createDirectorySync({
    store,
    installer,
    peers: deps.peers,
    self: deps.self.node,
    nodeKey: deps.nodeKey,
    fetch: deps.fetch,
    clock: deps.clock,
    log: deps.log,
    timeoutMs: deps.timeoutMs,
    alert: deps.alert,
  });
  const own = createOwnEntries({
    sqlite: deps.sqlite,
    store,
    org: deps.self.org,
    node: deps.self.node,
    orgKey: deps.orgKey,
    certificates: deps.certificates,
    publicUrl: deps.publicUrl,
    maxBytes: deps.maxBytes,
  });
  return {
    store,
    installer,
    sync,
    own,
    /** what every outgoing message names */
    ref: (): DirectoryRef => store.ref(),
    /**
     * The freeze: a new referral needs a fresh directory when this node belongs to a directory
     * network (it has an anchor); everything else goes on. Throws `DirectoryExpired` saying since when.
     */
    assertMayStartReferral(nowMs: number): void {
      if (!store.anchor) return;
      const f = store.freshness(nowMs);
      if (f.fresh) return;
      const since = f.staleSince === null ? 'no directory is held yet' : `the directory is stale since ${new Date(f.staleSince * 1000).toISOString()}`;
      throw new ProtocolError('DirectoryExpired', `no new referral: ${since}`);
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;
