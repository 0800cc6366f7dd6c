import {
  type Clock,
  type DirectoryRef,
  type ErrorCode,
  MAX_MANIFEST_BYTES,
  type SigningKey,
  compareRef,
  fetchDescriptor,
  fetchFromMirror,
  SignedEntry,
  fromBase64Url,
  parseJson,
  parseWith,
  randomBytes,
  sha256,
  toBase64Url,
} from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { Peers } from '../services/peers.js';
import type { Installer } from './install.js';
import type { DirectoryStore } from './store.js';

/**
 * Refreshing the directory from peers, who are untrusted mirrors: the signed manifest first,
 * then only the entries this node lacks, by hash and bounded by the length the manifest states,
 * so a refresh after one organisation changed moves that entry and the manifest. Runs on start,
 * every `intervalMs`, when asked, and when a message names a newer version than ours; one at a
 * time. A message naming the same version with another hash is a split view: an alert.
 */

export type SyncResult =
  | { outcome: 'updated'; version: number; bytes: number; from: string }
  | { outcome: 'current'; version: number; bytes: number; from: string | null }
  | { outcome: 'unreachable' | 'refused'; version: number; bytes: number; from: string | null; code: ErrorCode };

export interface SyncDeps {
  store: DirectoryStore;
  installer: Installer;
  peers: Peers;
  self: string;
  nodeKey: () => SigningKey;
  fetch: typeof fetch;
  clock: Clock;
  log: Logger;
  timeoutMs: number;
  alert(a: { at: number; kind: string; peer?: string | null; code?: string | null }): void;
}

const ENTRY_FETCH_CONCURRENCY = 8;

/**
 * One answer for a refresh over several peers: updated if any peer had something newer; else a
 * split view if any showed one; else current if any peer holds what we hold (a peer that is
 * behind us is not a failure); else why none could help.
 */
function summarise(results: SyncResult[], version: number): SyncResult {
  const pick = (f: (r: SyncResult) => boolean) => results.find(f);
  return (
    pick((r) => r.outcome === 'updated') ??
    pick((r) => r.outcome === 'refused' && r.code === 'DirectoryConflict') ??
    pick((r) => r.outcome === 'current') ??
    (pick((r) => r.outcome === 'refused' && r.code === 'DirectoryRollback') ? { outcome: 'current', version, bytes: 0, from: null } : undefined) ??
    pick((r) => r.outcome === 'refused') ??
    results[0] ?? { outcome: 'unreachable', version, bytes: 0, from: null, code: 'PeerUnavailable' }
  );
}

export function createDirectorySync(deps: SyncDeps) {
  const { store, peers, log } = deps;
  let running: Promise<SyncResult> | null = null;
  const warnedSplit = new Set<string>();

  const request = (peer: string) => {
    const baseUrl = peers.url(peer);
    if (!baseUrl) return null;
    return () => ({ fetch: deps.fetch, baseUrl, from: deps.self, signer: deps.nodeKey(), now: Math.floor(deps.clock.now() / 1000), nonce: toBase64Url(randomBytes(16)), timeoutMs: deps.timeoutMs });
  };

  async function fromPeer(peer: string): Promise<SyncResult> {
    const version = store.ref().version;
    const req = request(peer);
    if (!req) return { outcome: 'unreachable', version, bytes: 0, from: peer, code: 'NotFound' };
    const manifest = await fetchFromMirror(req(), '', MAX_MANIFEST_BYTES);
    if (!manifest.ok) return { outcome: 'unreachable', version, bytes: 0, from: peer, code: manifest.code };
    let bytes = manifest.bytes.length;
    const supplied = new Map<string, Uint8Array>();
    for (let round = 0; round < 2; round++) {
      const outcome = deps.installer.install(manifest.bytes, supplied, peer, deps.clock.now());
      if (outcome.kind === 'installed') return { outcome: 'updated', version: outcome.version, bytes, from: peer };
      if (outcome.kind === 'current') return { outcome: 'current', version: outcome.version, bytes, from: peer };
      if (outcome.kind === 'refused') {
        log.warn('directory version refused', { from: peer, code: outcome.code, ...(outcome.org ? { org: outcome.org } : {}) });
        return { outcome: 'refused', version, bytes, from: peer, code: outcome.code };
      }
      const queue = [...outcome.refs];
      let failed: ErrorCode | null = null;
      await Promise.all(
        Array.from({ length: Math.min(ENTRY_FETCH_CONCURRENCY, queue.length) }, async () => {
          for (let ref = queue.shift(); ref && !failed; ref = queue.shift()) {
            const got = await fetchFromMirror(req(), `/entries/${ref.hash}`, ref.length);
            if (!got.ok) failed = got.code;
            else {
              bytes += got.bytes.length;
              supplied.set(ref.hash, got.bytes);
            }
          }
        }),
      );
      if (failed) return { outcome: 'unreachable', version, bytes, from: peer, code: failed };
    }
    return { outcome: 'refused', version, bytes, from: peer, code: 'BadResponse' };
  }

  /** Ask `preferred` first, then every other peer, until one has something newer. */
  async function refresh(preferred?: string): Promise<SyncResult> {
    const candidates = peers
      .list()
      .filter((p) => p.node !== deps.self)
      .sort((a, b) => (b.lastSeenAt ?? 0) - (a.lastSeenAt ?? 0))
      .map((p) => p.node);
    const order = preferred ? [preferred, ...candidates.filter((n) => n !== preferred)] : candidates;
    const results: SyncResult[] = [];
    let moved = 0;
    for (const peer of order) {
      const result = await fromPeer(peer);
      moved += result.bytes;
      results.push(result);
      if (result.outcome === 'updated') break;
    }
    const last = { ...summarise(results, store.ref().version), bytes: moved };
    store.recordSync({ at: deps.clock.now(), peer: last.from, outcome: last.outcome, version: last.version, bytes: last.bytes });
    // outside the refresh: a slow or absent peer must not hold the next refresh up
    // after every refresh: a peer may have no usable prekey (a new version, or its node key changed)
    void fetchPrekeys().catch((error: unknown) => log.warn('fetching prekeys failed', { error: String(error) }));
    return last;
  }

  const lastTried = new Map<string, number>();
  /**
   * Prekeys are not in the directory: each node publishes its own in its descriptor. Fetch them
   * for peers that have none valid now, each at most once an hour (many listed nodes may be
   * offline), a few at a time; a second caller waits for the pass already running.
   */
  let prekeysRunning: Promise<void> | null = null;
  function fetchPrekeys(): Promise<void> {
    prekeysRunning ??= fetchDuePrekeys().finally(() => (prekeysRunning = null));
    return prekeysRunning;
  }

  async function fetchDuePrekeys(): Promise<void> {
    const now = deps.clock.now();
    const due = peers.withoutPrekey(Math.floor(now / 1000)).filter((p) => now - (lastTried.get(p.node) ?? -Infinity) >= 3_600_000);
    for (const p of due) lastTried.set(p.node, now);
    await Promise.all(Array.from({ length: Math.min(8, due.length) }, async () => {
      for (let p = due.shift(); p; p = due.shift()) await admitFromDescriptor(p);
    }));
  }

  async function admitFromDescriptor(p: { node: string; org: string; url: string }): Promise<void> {
    const org = store.orgEntry(p.org);
    const orgPublicKey = org ? fromBase64Url(org.orgPublicKey) : null;
    if (!orgPublicKey) return;
    const descriptor = await fetchDescriptor(deps.fetch, p.url, deps.timeoutMs);
    if (!descriptor.ok || descriptor.value.node !== p.node) return;
    try {
      peers.admit(descriptor.value, orgPublicKey, deps.clock.now());
    } catch (error) {
      log.warn('a peer descriptor does not match its directory entry', { peer: p.node, error: String(error) });
    }
  }


  /** one refresh at a time: a second caller waits for the running one */
  const sync = (preferred?: string): Promise<SyncResult> => {
    running ??= refresh(preferred).finally(() => (running = null));
    return running;
  };

  /**
   * The stewards' node gathers the entries its peers submit (each checked later by the stewards
   * against the org key the directory binds); bounded per peer. Returns how many are new here.
   */
  async function collect(): Promise<{ collected: number; unreachable: string[] }> {
    let collected = 0;
    const unreachable: string[] = [];
    for (const p of peers.list()) {
      const req = request(p.node);
      const got = req ? await fetchFromMirror(req(), '/submissions', 64 * 1024 * 1024) : null;
      if (!got?.ok) {
        unreachable.push(p.node);
        continue;
      }
      const listed = parseJson(new TextDecoder().decode(got.bytes));
      const texts = listed.ok ? (listed.value as { entries?: unknown } | null)?.entries : null;
      if (!Array.isArray(texts)) continue;
      for (const text of texts.slice(0, 10_000)) {
        const bytes = typeof text === 'string' ? fromBase64Url(text) : null;
        const json = bytes ? parseJson(new TextDecoder().decode(bytes)) : null;
        const entry = json?.ok ? parseWith(SignedEntry, json.value) : null;
        if (!bytes || !entry?.ok) continue;
        const { org, seq } = entry.value.entry;
        const known = Math.max(store.orgEntry(org)?.entry.seq ?? 0, store.submissions().find((s) => s.org === org)?.seq ?? 0);
        if (seq <= known) continue;
        store.submit({ org, seq, hash: toBase64Url(sha256(bytes)), bytes }, deps.clock.now());
        collected++;
      }
    }
    return { collected, unreachable };
  }

  return {
    sync,
    collect,
    fetchPrekeys,
    /** a verified message named the directory its sender used */
    notice(peer: string, theirs: DirectoryRef): void {
      const ours = store.ref();
      if (ours.version === 0 && theirs.version === 0) return;
      const seen = compareRef(ours, theirs);
      if (seen === 'newer' && !running) {
        log.info('a peer uses a newer directory: refreshing', { peer, version: theirs.version });
        void sync(peer).catch((error: unknown) => log.error('directory refresh failed', { error: String(error) }));
      } else if (seen === 'conflict' && !warnedSplit.has(`${peer}#${theirs.hash}`)) {
        warnedSplit.add(`${peer}#${theirs.hash}`);
        deps.alert({ at: deps.clock.now(), kind: 'directory-split-view', peer, code: 'DirectoryConflict' });
        log.warn('split view: a peer names another directory under our version', { peer, version: theirs.version });
      }
    },
  };
}

export type DirectorySync = ReturnType<typeof createDirectorySync>;
