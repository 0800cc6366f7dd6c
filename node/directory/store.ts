import type Database from 'better-sqlite3-multiple-ciphers';
import {
  type DirectoryEntry,
  type DirectoryManifest,
  type DirectoryRef,
  type StewardSet,
  SignedEntry,
  SignedManifest,
  directoryRef,
  freshness,
  parseJson,
  parseWith,
  sha256,
  toBase64Url,
} from '../../protocol/index.js';

/**
 * The directory this node holds, read side: the current signed version (kept in memory, loaded
 * from SQLite at start), its entries by hash, our pending submissions, the last refresh. The
 * write side (checking and installing a version) is install.ts; both share this one connection.
 */

export interface HeldDirectory {
  manifest: DirectoryManifest;
  ref: DirectoryRef;
  /** the signed manifest as received: what we mirror to peers */
  bytes: Buffer;
  acceptedAt: number;
  source: string;
}

/** The network this node belongs to and the stewards it trusts before holding any version. */
export interface DirectoryAnchor {
  network: string;
  stewards: StewardSet;
}

export interface SyncRecord {
  at: number;
  peer: string | null;
  outcome: string;
  version: number | null;
  bytes: number;
}

/** Until a signed directory is held, every message names version 0. */
export const NO_DIRECTORY_REF: DirectoryRef = { version: 0, hash: toBase64Url(sha256(new Uint8Array(0))) };

export function createDirectoryStore(sqlite: Database.Database, anchor: DirectoryAnchor | null) {
  const q = {
    current: sqlite.prepare(`SELECT version, manifest, acceptedAt, source FROM directory_version WHERE manifest IS NOT NULL ORDER BY version DESC LIMIT 1`),
    entry: sqlite.prepare(`SELECT bytes FROM directory_entry WHERE hash = ?`),
    orgRow: sqlite.prepare(`SELECT org, name, seq, hash, orgKid, orgPublicKey, listedBy, nodes FROM directory_org WHERE org = ?`),
    counts: sqlite.prepare(`SELECT count(*) AS organisations, coalesce(sum(nodes > 0), 0) AS withNode FROM directory_org`),
    services: sqlite.prepare(`SELECT count(*) AS n FROM directory_service`),
    submissions: sqlite.prepare(`SELECT org, seq, hash, bytes FROM directory_submission ORDER BY org`),
    submit: sqlite.prepare(
      `INSERT INTO directory_submission (org, seq, hash, bytes, createdAt) VALUES (@org, @seq, @hash, @bytes, @createdAt)
       ON CONFLICT(org) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, bytes = excluded.bytes, createdAt = excluded.createdAt`,
    ),
    recordSync: sqlite.prepare(`INSERT INTO directory_sync (at, peer, outcome, version, bytes) VALUES (@at, @peer, @outcome, @version, @bytes)`),
    lastSync: sqlite.prepare(`SELECT at, peer, outcome, version, bytes FROM directory_sync ORDER BY seq DESC LIMIT 1`),
    pruneSync: sqlite.prepare(`DELETE FROM directory_sync WHERE seq <= (SELECT max(seq) FROM directory_sync) - 1000`),
    splitView: sqlite.prepare(`SELECT count(*) AS n FROM alert WHERE kind = 'directory-split-view' AND at >= ?`),
  };

  const load = (): HeldDirectory | null => {
    const row = q.current.get() as { version: number; manifest: Buffer; acceptedAt: number; source: string } | undefined;
    if (!row) return null;
    const json = parseJson(row.manifest.toString('utf8'));
    const parsed = json.ok ? parseWith(SignedManifest, json.value) : null;
    // it was verified before it was stored; a damaged row is a damaged database, not a peer's fault
    if (!parsed?.ok) throw new Error(`the stored directory version ${row.version} is damaged`);
    return { manifest: parsed.value.manifest, ref: directoryRef(parsed.value.manifest), bytes: row.manifest, acceptedAt: row.acceptedAt, source: row.source };
  };

  let held = load();

  return {
    anchor,
    current: (): HeldDirectory | null => held,
    /** after install.ts committed a version */
    reload(): void {
      held = load();
    },
    ref: (): DirectoryRef => held?.ref ?? NO_DIRECTORY_REF,
    /** whom to believe for the next version: the stewards of the version held, else the anchor */
    trustedStewards: (): StewardSet | null => held?.manifest.stewards ?? anchor?.stewards ?? null,
    network: (): string | null => held?.manifest.network ?? anchor?.network ?? null,
    /** new referrals need a fresh directory; reading and verifying never stop */
    freshness(nowMs: number): { fresh: true } | { fresh: false; staleSince: number | null } {
      if (!held) return { fresh: false, staleSince: null };
      return freshness(held.manifest, Math.floor(nowMs / 1000));
    },
    entryBytes: (hash: string): Buffer | undefined => (q.entry.get(hash) as { bytes: Buffer } | undefined)?.bytes,
    /** the current entry of an organisation (parsed from its verified bytes) */
    orgEntry(org: string): { entry: DirectoryEntry; orgKid: string; orgPublicKey: string; hash: string } | undefined {
      const row = q.orgRow.get(org) as { hash: string; orgKid: string; orgPublicKey: string } | undefined;
      if (!row) return undefined;
      const bytes = (q.entry.get(row.hash) as { bytes: Buffer } | undefined)?.bytes;
      const json = bytes ? parseJson(bytes.toString('utf8')) : null;
      const parsed = json?.ok ? parseWith(SignedEntry, json.value) : null;
      return parsed?.ok ? { entry: parsed.value.entry, orgKid: row.orgKid, orgPublicKey: row.orgPublicKey, hash: row.hash } : undefined;
    },
    counts: () => q.counts.get() as { organisations: number; withNode: number },
    serviceCount: () => (q.services.get() as { n: number }).n,
    submissions: () => q.submissions.all() as { org: string; seq: number; hash: string; bytes: Buffer }[],
    submit(s: { org: string; seq: number; hash: string; bytes: Uint8Array }, nowMs: number): void {
      q.submit.run({ ...s, bytes: Buffer.from(s.bytes), createdAt: nowMs });
    },
    recordSync(r: SyncRecord): void {
      q.recordSync.run(r);
      q.pruneSync.run();
    },
    lastSync: () => (q.lastSync.get() as SyncRecord | undefined) ?? null,
    /** a split view seen since the version held was accepted */
    splitViewSince: (ms: number): boolean => (q.splitView.get(ms) as { n: number }).n > 0,
  };
}

export type DirectoryStore = ReturnType<typeof createDirectoryStore>;
