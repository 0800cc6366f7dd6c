import type Database from 'better-sqlite3-multiple-ciphers';
import {
  type DirectoryEntry,
  type OrgProfile,
  PROTOCOL_VERSION,
  ProtocolError,
  type SigningKey,
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
  certificate: () => NodeKeyCertificate;
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
        nodes: mine ? [ownNode(previous)] : [],
      };
      const { bytes, ref } = signEntry(deps.orgKey(), entry);
      return { org, seq: entry.seq, hash: ref.hash, bytes, listing: !mine };
    });
    deps.sqlite.transaction(() => {
      for (const s of signed) deps.store.submit(s, options.nowMs);
    }).immediate();
    return signed.map(({ org, seq, listing }) => ({ org, seq, listing }));
  }

  /** our node as the entry publishes it: address, limits, the current node key, past revocations */
  const ownNode = (previous: DirectoryEntry | undefined): DirectoryEntry['nodes'][number] => {
    const before = previous?.nodes.find((n) => n.node === deps.node);
    const certificate = deps.certificate();
    const others = (before?.nodeKeys ?? []).filter((c) => c.key.kid !== certificate.key.kid).slice(0, 3);
    return {
      node: deps.node,
      url: deps.publicUrl(),
      protocols: [PROTOCOL_VERSION],
      maxBytes: deps.maxBytes,
      nodeKeys: [certificate, ...others],
      revocations: before?.revocations ?? [],
    };
  };

  return { submit };
}

export type OwnEntries = ReturnType<typeof createOwnEntries>;
