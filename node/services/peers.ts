import {
  type NodeDescriptor,
  type PrekeyCertificate,
  ProtocolError,
  type TrustedNodeKey,
  type VerifiedPrekey,
  equalBytes,
  fromBase64Url,
  verifyNodeKeyCertificate,
  verifyPrekey,
} from '../../protocol/index.js';
import type { Db } from '../db/client.js';
import { and, eq, gt, inArray, lte, notExists } from 'drizzle-orm';
import { peer, peerKey, peerPrekey } from '../db/schema/index.js';

/**
 * Known peers, their node keys and prekeys. Until the signed directory exists (issue 4), a peer
 * is admitted from its descriptor and its org public key, which the operators compared aloud by
 * fingerprint. Lookups are cached in memory; admitting a peer refreshes the cache.
 */
/** A peer node as the directory version being installed describes it. */
export interface DirectoryPeer {
  node: string;
  org: string;
  url: string;
  maxBytes: number;
  /** the node keys its entry certifies, revocations applied */
  keys: TrustedNodeKey[];
}

export interface Peers {
  /**
   * Endpoints and node keys from a directory version, written inside the caller's transaction:
   * the entry's keys replace the node's keys (a key no longer certified is no longer trusted);
   * the nodes of organisations that left lose their keys. Call invalidate() after the commit.
   */
  applyDirectory(nodes: DirectoryPeer[], droppedOrgs: string[], nowMs: number): void;
  invalidate(): void;
  /** nodes that have no prekey valid now: their descriptor must be fetched */
  withoutPrekey(nowSeconds: number): { node: string; org: string; url: string }[];
  admit(descriptor: NodeDescriptor, orgPublicKey: Uint8Array, nowMs: number): void;
  key(node: string, kid: string): TrustedNodeKey | undefined;
  keys(node: string): TrustedNodeKey[];
  /** the prekey to seal to now, checked against the peer's node key */
  prekeyFor(node: string, nowSeconds: number): { prekey: VerifiedPrekey; maxBytes: number };
  url(node: string): string | undefined;
  /** the organisation a known node belongs to */
  orgOf(node: string): string | undefined;
  /** the node an organisation runs (the first one the directory or an admission named) */
  nodeOf(org: string): string | undefined;
  list(): { node: string; org: string; url: string; lastSeenAt: number | null }[];
  markSeen(node: string, nowMs: number): void;
}

export function createPeers(db: Db): Peers {
  // admitted peers, so a request naming an unknown node costs no query and no cache entry
  const known = new Set(db.select({ node: peer.node }).from(peer).all().map((r) => r.node));
  const keyCache = new Map<string, TrustedNodeKey[]>();
  const keysOf = (node: string): TrustedNodeKey[] => {
    if (!known.has(node)) return [];
    let cached = keyCache.get(node);
    if (!cached) {
      cached = db
        .select()
        .from(peerKey)
        .where(eq(peerKey.node, node))
        .all()
        .map((k) => ({
          node: k.node,
          kid: k.kid,
          publicKey: new Uint8Array(k.publicKey),
          notBefore: k.notBefore,
          notAfter: k.notAfter,
          compromisedSince: k.compromisedSince ?? undefined,
          revokedAt: k.revokedAt ?? undefined,
        }));
      keyCache.set(node, cached);
    }
    return cached;
  };

  const prekeyCache = new Map<string, { prekey: VerifiedPrekey; maxBytes: number }>();
  const urlCache = new Map<string, string | undefined>();

  const invalidate = () => {
    known.clear();
    for (const r of db.select({ node: peer.node }).from(peer).all()) known.add(r.node);
    keyCache.clear();
    prekeyCache.clear();
    urlCache.clear();
  };

  return {
    applyDirectory(nodes, droppedOrgs, now) {
      for (const n of nodes) {
        db.insert(peer)
          .values({ node: n.node, org: n.org, url: n.url, maxBytes: n.maxBytes, updatedAt: now })
          .onConflictDoUpdate({ target: peer.node, set: { org: n.org, url: n.url, maxBytes: n.maxBytes, updatedAt: now } })
          .run();
        db.delete(peerKey).where(eq(peerKey.node, n.node)).run();
        for (const k of n.keys) {
          db.insert(peerKey)
            .values({ node: k.node, kid: k.kid, publicKey: Buffer.from(k.publicKey), notBefore: k.notBefore, notAfter: k.notAfter, compromisedSince: k.compromisedSince ?? null, revokedAt: k.revokedAt ?? null })
            .run();
        }
        // prekeys signed by a key no longer certified, or revoked, are forgotten: the node then
        // counts as without a prekey and its descriptor is fetched again (ADR 0017)
        const signers = new Set(n.keys.filter((k) => k.revokedAt === undefined).map((k) => k.kid));
        for (const p of db.select({ kid: peerPrekey.kid, certificate: peerPrekey.certificate }).from(peerPrekey).where(eq(peerPrekey.node, n.node)).all()) {
          if (!signers.has((JSON.parse(p.certificate) as PrekeyCertificate).signer)) db.delete(peerPrekey).where(and(eq(peerPrekey.node, n.node), eq(peerPrekey.kid, p.kid))).run();
        }
      }
      if (droppedOrgs.length > 0) {
        const gone = db.select({ node: peer.node }).from(peer).where(inArray(peer.org, droppedOrgs)).all().map((r) => r.node);
        if (gone.length > 0) db.delete(peerKey).where(inArray(peerKey.node, gone)).run();
      }
    },
    invalidate,
    withoutPrekey(now) {
      return db
        .select({ node: peer.node, org: peer.org, url: peer.url })
        .from(peer)
        .where(notExists(db.select().from(peerPrekey).where(and(eq(peerPrekey.node, peer.node), lte(peerPrekey.notBefore, now), gt(peerPrekey.notAfter, now + 3600)))))
        .all();
    },
    admit(descriptor, orgPublicKey, nowMs) {
      const published = fromBase64Url(descriptor.orgPublicKey);
      if (!published || !equalBytes(published, orgPublicKey)) throw new ProtocolError('BadSignature', 'the descriptor names another org key than the one admitted');
      const keys: TrustedNodeKey[] = [];
      for (const cert of descriptor.nodeKeys) {
        const verified = verifyNodeKeyCertificate(cert, orgPublicKey);
        if (!verified.ok) throw new ProtocolError(verified.code, 'a node key certificate does not verify');
        if (verified.value.node !== descriptor.node) throw new ProtocolError('BadSignature', 'a node key certificate names another node');
        keys.push(verified.value);
      }
      const prekeys: PrekeyCertificate[] = [];
      // a key the directory we hold revoked certifies nothing, whatever the descriptor says
      const revoked = new Set(keysOf(descriptor.node).filter((k) => k.revokedAt !== undefined).map((k) => k.kid));
      for (const cert of descriptor.prekeys) {
        const signer = keys.find((k) => k.kid === cert.signer);
        if (!signer) throw new ProtocolError('UnknownSenderKey', 'a prekey is signed by a key the descriptor does not certify');
        if (revoked.has(signer.kid)) continue;
        const verified = verifyPrekey(cert, signer, Math.floor(nowMs / 1000));
        if (!verified.ok) throw new ProtocolError(verified.code, 'a prekey certificate does not verify');
        prekeys.push(cert);
      }
      db.transaction((tx) => {
        tx.insert(peer)
          .values({ node: descriptor.node, org: descriptor.org, url: descriptor.url, maxBytes: descriptor.maxBytes, updatedAt: nowMs })
          .onConflictDoUpdate({ target: peer.node, set: { org: descriptor.org, url: descriptor.url, maxBytes: descriptor.maxBytes, updatedAt: nowMs } })
          .run();
        for (const k of keys) {
          tx.insert(peerKey)
            .values({ node: k.node, kid: k.kid, publicKey: Buffer.from(k.publicKey), notBefore: k.notBefore, notAfter: k.notAfter })
            .onConflictDoNothing()
            .run();
        }
        tx.delete(peerPrekey).where(eq(peerPrekey.node, descriptor.node)).run();
        for (const p of prekeys) {
          tx.insert(peerPrekey).values({ node: descriptor.node, kid: p.kid, certificate: JSON.stringify(p), notBefore: p.notBefore, notAfter: p.notAfter }).run();
        }
      }, { behavior: 'immediate' });
      known.add(descriptor.node);
      keyCache.delete(descriptor.node);
      prekeyCache.delete(descriptor.node);
      urlCache.delete(descriptor.node);
    },

    key: (node, kid) => keysOf(node).find((k) => k.kid === kid),
    keys: keysOf,

    prekeyFor(node, now) {
      const cached = prekeyCache.get(node);
      if (cached && now >= cached.prekey.notBefore - 300 && now <= cached.prekey.notAfter - 3600) return cached;
      const row = db.select().from(peer).where(eq(peer.node, node)).get();
      if (!row) throw new ProtocolError('NotFound', 'no such peer');
      const candidates = db
        .select()
        .from(peerPrekey)
        .where(eq(peerPrekey.node, node))
        .all()
        .sort((a, b) => b.notBefore - a.notBefore);
      for (const c of candidates) {
        const cert = JSON.parse(c.certificate) as PrekeyCertificate;
        const signer = keysOf(node).find((k) => k.kid === cert.signer);
        if (!signer) continue;
        const verified = verifyPrekey(cert, signer, now);
        if (verified.ok) {
          const entry = { prekey: verified.value, maxBytes: row.maxBytes };
          prekeyCache.set(node, entry);
          return entry;
        }
      }
      throw new ProtocolError('PrekeyExpired', 'the peer has no prekey that is valid now');
    },

    url: (node) => {
      if (!known.has(node)) return undefined;
      if (!urlCache.has(node)) urlCache.set(node, db.select({ url: peer.url }).from(peer).where(eq(peer.node, node)).get()?.url);
      return urlCache.get(node);
    },
    orgOf: (node) => (known.has(node) ? db.select({ org: peer.org }).from(peer).where(eq(peer.node, node)).get()?.org : undefined),
    nodeOf: (org) => db.select({ node: peer.node }).from(peer).where(eq(peer.org, org)).get()?.node,
    list: () => db.select({ node: peer.node, org: peer.org, url: peer.url, lastSeenAt: peer.lastSeenAt }).from(peer).all(),
    markSeen: (node, nowMs) => {
      db.update(peer).set({ lastSeenAt: nowMs }).where(eq(peer.node, node)).run();
    },
  };
}
