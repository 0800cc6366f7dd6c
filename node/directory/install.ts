import type Database from 'better-sqlite3-multiple-ciphers';
import {
  type DirectoryEntry,
  type DirectoryManifest,
  type EntryRef,
  type ErrorCode,
  acceptVersion,
  directoryRef,
  entryNodeKeys,
  fromBase64Url,
  parseJson,
  verifyDirectoryManifest,
  verifyEntry,
} from '../../protocol/index.js';
import type { AuditRecorder } from '../audit/log.js';
import type { Logger } from '../logger.js';
import type { DirectoryPeer, Peers } from '../services/peers.js';
import type { DirectoryStore } from './store.js';

/**
 * Checking and installing a directory version (ADR 0011). Everything is verified before anything
 * is written: the stewards' threshold (and both sets on a change of stewards), the network, no
 * rollback of the version or of any organisation's entry, and every new or changed entry against
 * its hash and its organisation's own signature. Then one synchronous transaction swaps it in:
 * the version, the entries, the organisations, the search index, and the peers' endpoints and
 * node keys (so a key rotation or revocation takes effect with the version). An expired but
 * otherwise good version is installed too (its revocations count); the freeze stays until a
 * fresh one arrives.
 */

export interface SearchIndexer {
  /** replaces what is indexed for these organisations (batched: FTS5 is faster that way) */
  indexOrgs(sqlite: Database.Database, entries: readonly DirectoryEntry[]): void;
  unindexOrg(sqlite: Database.Database, org: string): void;
  /** merges the full-text index after a large change */
  optimize(sqlite: Database.Database): void;
}

/** from this many changed organisations on, the full-text index is merged after the install */
const OPTIMIZE_FROM = 500;

export type InstallOutcome =
  | { kind: 'installed'; version: number; changed: string[]; dropped: string[] }
  | { kind: 'current'; version: number }
  /** the version verifies, these entries are needed to install it */
  | { kind: 'missing'; manifest: DirectoryManifest; refs: EntryRef[] }
  | { kind: 'refused'; code: ErrorCode; org?: string };

export interface InstallDeps {
  sqlite: Database.Database;
  store: DirectoryStore;
  peers: Peers;
  index: SearchIndexer;
  log: Logger;
  self: { node: string };
  alert(a: { at: number; kind: string; peer?: string | null; code?: string | null }): void;
  /** after a version was swapped in (never throws into the install) */
  onInstalled?: (nowMs: number) => void;
  /** the audit log: `directory-updated` in the install's transaction */
  audit?: AuditRecorder;
}

export function createInstaller(deps: InstallDeps) {
  const { sqlite, store } = deps;
  const q = {
    version: sqlite.prepare(
      `INSERT INTO directory_version (version, hash, manifest, issued, expires, acceptedAt, source) VALUES (@version, @hash, @manifest, @issued, @expires, @acceptedAt, @source)`,
    ),
    forgetOlder: sqlite.prepare(`UPDATE directory_version SET manifest = NULL WHERE version < ?`),
    entry: sqlite.prepare(`INSERT OR IGNORE INTO directory_entry (hash, org, seq, bytes) VALUES (@hash, @org, @seq, @bytes)`),
    org: sqlite.prepare(
      `INSERT OR REPLACE INTO directory_org (org, name, seq, hash, orgKid, orgPublicKey, listedBy, nodes) VALUES (@org, @name, @seq, @hash, @orgKid, @orgPublicKey, @listedBy, @nodes)`,
    ),
    dropOrg: sqlite.prepare(`DELETE FROM directory_org WHERE org = ?`),
    doneSubmission: sqlite.prepare(`DELETE FROM directory_submission WHERE org = ? AND seq <= ?`),
    gc: sqlite.prepare(
      `DELETE FROM directory_entry WHERE hash NOT IN (SELECT hash FROM directory_org) AND hash NOT IN (SELECT hash FROM directory_submission)`,
    ),
  };

  /**
   * `manifestBytes`: the signed manifest as fetched; `supplied`: entry bytes by hash fetched for
   * it (untrusted: each is checked against the manifest). `peer`: where it came from.
   */
  function install(manifestBytes: Uint8Array, supplied: ReadonlyMap<string, Uint8Array>, source: string, nowMs: number): InstallOutcome {
    const trusted = store.trustedStewards();
    if (!trusted) return { kind: 'refused', code: 'DirectoryUnderSigned' };
    const json = parseJson(new TextDecoder().decode(manifestBytes));
    if (!json.ok) return { kind: 'refused', code: 'Malformed' };
    const verified = verifyDirectoryManifest(json.value, trusted);
    if (!verified.ok) return { kind: 'refused', code: verified.code };
    const candidate = verified.value;
    const held = store.current();
    if (candidate.network !== store.network()) return { kind: 'refused', code: 'DirectoryConflict' };
    if (held && candidate.version === held.manifest.version && directoryRef(candidate).hash === held.ref.hash) return { kind: 'current', version: held.manifest.version };
    const accepted = acceptVersion(held?.manifest ?? null, candidate);
    if (!accepted.ok) {
      if (accepted.code === 'DirectoryConflict') {
        deps.alert({ at: nowMs, kind: 'directory-split-view', peer: source, code: 'DirectoryConflict' });
        deps.log.warn('split view: another directory under the same version', { version: candidate.version, from: source });
      }
      return { kind: 'refused', code: accepted.code, ...(accepted.org ? { org: accepted.org } : {}) };
    }

    const before = new Map(held?.manifest.entries.map((e) => [e.org, e]) ?? []);
    const changedRefs = candidate.entries.filter((ref) => {
      const old = before.get(ref.org);
      return !old || old.hash !== ref.hash || old.orgKey.publicKey !== ref.orgKey.publicKey || old.orgKey.kid !== ref.orgKey.kid || old.listedBy !== ref.listedBy;
    });
    const missing: EntryRef[] = [];
    const changed: { ref: EntryRef; bytes: Uint8Array; entry: DirectoryEntry }[] = [];
    for (const ref of changedRefs) {
      const bytes = supplied.get(ref.hash) ?? store.entryBytes(ref.hash);
      if (!bytes) {
        missing.push(ref);
        continue;
      }
      const entry = verifyEntry(bytes, ref);
      // a forged entry, or one not signed by its own organisation: the whole version is refused
      if (!entry.ok) return { kind: 'refused', code: entry.code, org: ref.org };
      changed.push({ ref, bytes, entry: entry.value });
    }
    if (missing.length > 0) return { kind: 'missing', manifest: candidate, refs: missing };

    const staying = new Set(candidate.entries.map((e) => e.org));
    const dropped = [...before.keys()].filter((org) => !staying.has(org));
    const peersOf: DirectoryPeer[] = [];
    for (const { ref, entry } of changed) {
      const orgPublicKey = fromBase64Url(ref.orgKey.publicKey);
      if (!orgPublicKey) continue;
      const keys = entryNodeKeys(entry, orgPublicKey);
      for (const n of entry.nodes) {
        if (n.node === deps.self.node) continue;
        peersOf.push({ node: n.node, org: entry.org, url: n.url.replace(/\/+$/, ''), maxBytes: n.maxBytes, keys: keys.filter((k) => k.node === n.node) });
      }
    }

    sqlite.transaction(() => {
      q.version.run({ version: candidate.version, hash: directoryRef(candidate).hash, manifest: Buffer.from(manifestBytes), issued: candidate.issued, expires: candidate.expires, acceptedAt: nowMs, source });
      q.forgetOlder.run(candidate.version);
      for (const { ref, bytes, entry } of changed) {
        q.entry.run({ hash: ref.hash, org: ref.org, seq: ref.seq, bytes: Buffer.from(bytes) });
        q.org.run({ org: ref.org, name: entry.name, seq: ref.seq, hash: ref.hash, orgKid: ref.orgKey.kid, orgPublicKey: ref.orgKey.publicKey, listedBy: ref.listedBy ?? null, nodes: entry.nodes.length });
        q.doneSubmission.run(ref.org, ref.seq);
      }
      deps.index.indexOrgs(sqlite, changed.map((c) => c.entry));
      for (const org of dropped) {
        q.dropOrg.run(org);
        deps.index.unindexOrg(sqlite, org);
      }
      deps.peers.applyDirectory(peersOf, dropped, nowMs);
      q.gc.run();
      deps.audit?.record({ kind: 'directory-updated', subject: { directoryVersion: candidate.version }, hashes: { directory: directoryRef(candidate).hash } });
    }).immediate();
    store.reload();
    deps.peers.invalidate();
    try {
      deps.onInstalled?.(nowMs);
    } catch (error) {
      deps.log.error('after installing a version', { error: error instanceof Error ? error.message : 'unknown' });
    }
    if (changed.length >= OPTIMIZE_FROM) deps.index.optimize(sqlite);
    deps.log.info('directory version installed', { version: candidate.version, changed: changed.length, dropped: dropped.length, from: source });
    return { kind: 'installed', version: candidate.version, changed: changed.map((c) => c.ref.org), dropped };
  }

  return { install };
}

export type Installer = ReturnType<typeof createInstaller>;
