import type Database from 'better-sqlite3-multiple-ciphers';
import {
  type DirectoryEntry,
  type OrgProfile,
  PROTOCOL_VERSION,
  ProtocolError,
  type SigningKey,
  type KeyRevocation,
  type NodeKeyCertificate,
  signEntry,
} from '../../protocol/index.js';
import type { DirectoryStore } from './store.js';

/**
 * Our side of the directory: this organisation's own entry, and the listings it keeps for
 * organisations without a node, signed here with the org key and left as submissions for the
 * stewards to collect. Which imported organisation is ours is said explicitly (`own`, its HSDS
 * id) or found by the HSDS id of the entry we already publish; every other one is a listing.
 */

export interface OwnEntryDeps {
  sqlite: Database.Database;
  store: DirectoryStore;
  org: string;
  node: string;
  orgKey: () => SigningKey;
  /** the node-key certificates to publish now, the active key first (OwnKeys.publishedCertificates) */
  certificates: (nowSeconds: number) => NodeKeyCertificate[];
  publicUrl: () => string;
  maxBytes: number;
}

export interface Submitted {
  org: string;
  seq: number;
  listing: boolean;
}

export function createOwnEntries(deps: OwnEntryDeps) {
  const q = {
    listedByUs: deps.sqlite.prepare(`SELECT org FROM directory_org WHERE listedBy = ?`),
    taken: deps.sqlite.prepare(`SELECT 1 FROM directory_org WHERE org = ? UNION SELECT 1 FROM directory_submission WHERE org = ?`),
  };

  /** the latest entry of an org we sign: pending submission first, else the directory's */
  const latest = (org: string): DirectoryEntry | undefined => {
    const pending = deps.store.submissions().find((s) => s.org === org);
    if (pending) return (JSON.parse(pending.bytes.toString('utf8')) as { entry: DirectoryEntry }).entry;
    return deps.store.orgEntry(org)?.entry;
  };

  const freeOrgId = (name: string, claimed: Set<string>): string => {
    const base = name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'organisation';
    for (let i = 1; ; i++) {
      const candidate = `org:${i === 1 ? base : `${base}-${i}`}`;
      if (!claimed.has(candidate) && !q.taken.get(candidate, candidate)) return candidate;
    }
  };

  /**
   * Sign one entry per imported organisation and keep them as submissions, all or nothing.
   * `own`: the HSDS id of our organisation in the import, if it is there.
   */
  function submit(profiles: OrgProfile[], options: { own?: string | undefined; nowMs: number }): Submitted[] {
    const ownEntry = latest(deps.org);
    const ownHsdsId = options.own ?? ownEntry?.profile.id;
    const ours = new Map<string, DirectoryEntry>();
    for (const { org } of q.listedByUs.all(deps.org) as { org: string }[]) {
      const e = latest(org);
      if (e) ours.set(e.profile.id, e);
    }
    for (const s of deps.store.submissions()) {
      const e = latest(s.org);
      if (e?.listedBy === deps.org) ours.set(e.profile.id, e);
    }
    const now = Math.floor(options.nowMs / 1000);
    const claimed = new Set<string>();
    const signed = profiles.map((profile) => {
      const mine = profile.id === ownHsdsId;
      const previous = mine ? ownEntry : ours.get(profile.id);
      const org = mine ? deps.org : (previous?.org ?? freeOrgId(profile.name, claimed));
      if (claimed.has(org)) throw new ProtocolError('InvalidRequest', 'the same organisation appears twice in the import');
      claimed.add(org);
      const entry: DirectoryEntry = {
        v: PROTOCOL_VERSION,
        org,
        seq: (previous?.seq ?? 0) + 1,
        updated: now,
        name: profile.name.slice(0, 200),
        ...(mine ? {} : { listedBy: deps.org }),
        profile,
        nodes: mine ? [ownNode(previous, now)] : [],
      };
      const { bytes, ref } = signEntry(deps.orgKey(), entry);
      return { org, seq: entry.seq, hash: ref.hash, bytes, listing: !mine };
    });
    deps.sqlite.transaction(() => {
      for (const s of signed) deps.store.submit(s, options.nowMs);
    }).immediate();
    return signed.map(({ org, seq, listing }) => ({ org, seq, listing }));
  }

  /** our node as the entry publishes it: address, limits, our published node keys, revocations */
  const ownNode = (previous: DirectoryEntry | undefined, now: number, revoke?: KeyRevocation): DirectoryEntry['nodes'][number] => {
    const before = previous?.nodes.find((n) => n.node === deps.node);
    const revocations = [...(before?.revocations ?? []), ...(revoke ? [revoke] : [])];
    const nodeKeys = deps.certificates(now);
    // a revoked key stays certified until its window ends, so the revocation keeps applying
    for (const c of before?.nodeKeys ?? []) {
      if (c.key.notAfter > now && revocations.some((r) => r.kid === c.key.kid) && !nodeKeys.some((k) => k.key.kid === c.key.kid)) nodeKeys.push(c);
    }
    if (nodeKeys.length > 8) throw new ProtocolError('InvalidRequest', 'too many node keys to publish: wait until retired ones expire');
    const kept = revocations.filter((r) => nodeKeys.some((k) => k.key.kid === r.kid));
    return {
      node: deps.node,
      url: deps.publicUrl(),
      protocols: [PROTOCOL_VERSION],
      maxBytes: deps.maxBytes,
      nodeKeys,
      revocations: kept.slice(-32),
    };
  };

  /**
   * Sign our own entry again with what changed in our keys (a new node key, a retired one
   * dropped, a revocation) and keep it as a submission for the stewards. The profile is the one
   * we publish already; without one there is nothing to re-sign (import the profile first).
   */
  function resubmitOwn(options: { nowMs: number; revoke?: KeyRevocation }): Submitted {
    const previous = latest(deps.org);
    if (!previous) throw new ProtocolError('NotFound', "this organisation has no directory entry yet: import its profile first (corridor directory import-hsds)");
    const now = Math.floor(options.nowMs / 1000);
    const entry: DirectoryEntry = { ...previous, seq: previous.seq + 1, updated: Math.max(now, previous.updated), nodes: [ownNode(previous, now, options.revoke)] };
    const { bytes, ref } = signEntry(deps.orgKey(), entry);
    deps.sqlite.transaction(() => deps.store.submit({ org: deps.org, seq: entry.seq, hash: ref.hash, bytes }, options.nowMs)).immediate();
    return { org: deps.org, seq: entry.seq, listing: false };
  }

  /** the revocations our entry (pending submission first) carries for our node */
  const ownRevocations = (): KeyRevocation[] => latest(deps.org)?.nodes.find((n) => n.node === deps.node)?.revocations ?? [];

  return { submit, resubmitOwn, ownRevocations, ownEntry: () => latest(deps.org) };
}

export type OwnEntries = ReturnType<typeof createOwnEntries>;
