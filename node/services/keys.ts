import { and, eq, isNull } from 'drizzle-orm';
import {
  type HeldPrekey,
  LIMITS,
  type NodeKeyCertificate,
  type PrekeyCertificate,
  PrekeySecret,
  ProtocolError,
  SigningKey,
  type TrustedNodeKey,
  certifyNodeKey,
  certifyPrekey,
} from '../../protocol/index.js';
import type { AuditRecorder } from '../audit/log.js';
import type { Db } from '../db/client.js';
import { ownKey } from '../db/schema/index.js';

/**
 * This node's keys: the node signing key (certified by the org key) and its prekeys. Prekeys
 * are rotated: a new one when the current has less than a week left, and the private half of
 * an old one wiped once no message sealed to it can still be valid.
 */

const DAY_SECONDS = 86_400;
const PREKEY_DAYS = 28;
const ROTATE_WHEN_DAYS_LEFT = 7;
const NODE_KEY_DAYS = 365;

export interface OwnNodeKey {
  kid: string;
  state: 'pending' | 'active' | 'retired';
  notBefore: number;
  notAfter: number;
  activatedAt: number | null;
  retiredAt: number | null;
}

export interface OwnKeys {
  readonly orgPublicKey: Uint8Array;
  /** the node key that signs now (it changes when a rotated key is switched to: always read it here) */
  readonly nodeKey: SigningKey;
  readonly certificate: NodeKeyCertificate;
  readonly trusted: TrustedNodeKey;
  /** the prekey senders should seal to now (the newest live one) */
  currentPrekey(): PrekeyCertificate;
  /** the prekey certificates published now (signed by a node key still published) */
  publishedPrekeys(nowSeconds: number): PrekeyCertificate[];
  heldPrekey(kid: string): HeldPrekey | undefined;
  /** create a new prekey if needed (or now, with `force`: the operator's `corridor keys rotate`), wipe expired ones; returns what changed */
  rotate(nowSeconds: number, options?: { force?: boolean }): { created: string | null; destroyed: string[] };
  /** every node key this node has had: the active one first, then pending, then retired */
  nodeKeys(): OwnNodeKey[];
  /** one of this node's own node keys as a verifier (retired ones too: what they signed here stays readable) */
  ownTrusted(kid: string): TrustedNodeKey | undefined;
  /**
   * the node-key certificates to publish (entry and descriptor): the active key, a pending one,
   * and retired ones until no message they signed can still be valid (ADR 0017)
   */
  publishedCertificates(nowSeconds: number): NodeKeyCertificate[];
  /** a new node key certified by the org key, pending until the directory carries it; an existing pending key is kept */
  createPendingNodeKey(orgKey: SigningKey, nowSeconds: number): { kid: string; created: boolean };
  /**
   * Switch to the pending key once `certified` (the kids the installed directory version
   * certifies for this node, unrevoked) has it: the old key's private half is wiped at once
   * and a new prekey signed by the new key is made. Returns the new kid, or null.
   */
  activatePending(certified: ReadonlySet<string>, nowSeconds: number): { activated: string; retired: string } | null;
}

/** how long a retired node key's certificate stays published: every envelope it signed has expired by then */
export const RETIRED_CERTIFICATE_SECONDS = LIMITS.maxMessageLifetimeSeconds + LIMITS.clockSkewSeconds;

/**
 * Loads the node's keys, creating them on first start. `orgKey` certifies a new node key; the
 * org key itself is kept by the operator (node/admin/org-key.ts), not in the database.
 */
export function loadOwnKeys(db: Db, input: { node: string; org: string; orgKey: () => SigningKey; nowSeconds: number; audit?: AuditRecorder }): OwnKeys {
  // active first, then pending, then retired (newest first within each)
  const rank = (r: { activatedAt: number | null; retiredAt: number | null }) => (r.retiredAt !== null ? 2 : r.activatedAt === null ? 1 : 0);
  const nodeRows = () => db.select().from(ownKey).where(eq(ownKey.kind, 'node')).all().sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt || (b.retiredAt ?? 0) - (a.retiredAt ?? 0));
  if (nodeRows().length === 0) {
    const orgKey = input.orgKey();
    const key = SigningKey.generate('node');
    const window = { notBefore: input.nowSeconds - 60, notAfter: input.nowSeconds + NODE_KEY_DAYS * DAY_SECONDS };
    const cert = certifyNodeKey(orgKey, input.org, { node: input.node, publicKey: key.publicKey, ...window });
    const createdAt = input.nowSeconds * 1000;
    db.transaction((tx) => {
      tx.insert(ownKey)
        .values({ kid: orgKey.kid, kind: 'org', secret: null, publicKey: Buffer.from(orgKey.publicKey), ...window, certificate: '{}', createdAt })
        .onConflictDoNothing()
        .run();
      tx.insert(ownKey)
        .values({ kid: key.kid, kind: 'node', secret: Buffer.from(key.exportSeed()), publicKey: Buffer.from(key.publicKey), ...window, certificate: JSON.stringify(cert), createdAt, activatedAt: createdAt })
        .run();
    });
  }
  // a database from before node-key rotation has one node key and no activatedAt: it is the active one
  if (!nodeRows().some((r) => r.activatedAt !== null && r.retiredAt === null)) {
    const oldest = nodeRows().filter((r) => r.secret !== null && r.retiredAt === null).at(-1);
    if (oldest) db.update(ownKey).set({ activatedAt: oldest.createdAt }).where(eq(ownKey.kid, oldest.kid)).run();
  }
  const activeRow = nodeRows().find((r) => r.activatedAt !== null && r.retiredAt === null);
  if (!activeRow?.secret) throw new Error('the node signing key is missing from the database');
  let nodeKey = SigningKey.fromSeed('node', activeRow.secret);
  let certificate = JSON.parse(activeRow.certificate) as NodeKeyCertificate;
  const orgRow = db.select().from(ownKey).where(and(eq(ownKey.kind, 'org'), eq(ownKey.kid, certificate.orgKid))).get();
  if (!orgRow) throw new Error('the org public key is missing from the database');
  const trustedOf = (row: { notBefore: number; notAfter: number }, key: SigningKey): TrustedNodeKey => ({ node: input.node, kid: key.kid, publicKey: key.publicKey, notBefore: row.notBefore, notAfter: row.notAfter });
  let trusted = trustedOf(activeRow, nodeKey);

  const held = new Map<string, HeldPrekey & { certificate: PrekeyCertificate }>();
  const loadPrekeys = () => {
    held.clear();
    for (const p of db.select().from(ownKey).where(and(eq(ownKey.kind, 'prekey'), isNull(ownKey.destroyedAt))).all()) {
      if (!p.secret) continue;
      held.set(p.kid, { secret: PrekeySecret.fromPrivateKey(p.secret), notBefore: p.notBefore, notAfter: p.notAfter, certificate: JSON.parse(p.certificate) as PrekeyCertificate });
    }
  };
  loadPrekeys();

  const rotate = (now: number, options: { force?: boolean } = {}) => {
    const result: { created: string | null; destroyed: string[] } = { created: null, destroyed: [] };
    db.transaction((tx) => {
      for (const [kid, p] of held) {
        if (now > p.notAfter + LIMITS.maxMessageLifetimeSeconds + LIMITS.clockSkewSeconds) {
          tx.update(ownKey).set({ secret: null, destroyedAt: now * 1000 }).where(eq(ownKey.kid, kid)).run();
          p.secret.destroy();
          result.destroyed.push(kid);
        }
      }
      const newest = Math.max(0, ...[...held.values()].filter((p) => p.notBefore <= now + LIMITS.clockSkewSeconds).map((p) => p.notAfter));
      // a forced one starts after every held one, so it is the current one even within the same second
      const after = options.force === true ? Math.max(0, ...[...held.values()].map((p) => p.notBefore + 1)) : 0;
      const window = { notBefore: Math.max(now - 60, after), notAfter: Math.min(now + PREKEY_DAYS * DAY_SECONDS, trusted.notAfter) };
      // a new prekey only if it would outlive the newest one by a day: near the end of the node
      // key's window there is nothing to gain (the node key itself must be rotated, issue 6)
      const due = newest - now < ROTATE_WHEN_DAYS_LEFT * DAY_SECONDS && window.notAfter - Math.max(newest, window.notBefore) >= DAY_SECONDS;
      if (due || (options.force === true && window.notAfter - window.notBefore >= DAY_SECONDS)) {
        const secret = PrekeySecret.generate();
        const cert = certifyPrekey(nodeKey, input.node, secret, window);
        tx.insert(ownKey)
          .values({ kid: secret.kid, kind: 'prekey', secret: Buffer.from(secret.exportPrivateKey()), publicKey: Buffer.from(secret.publicKey), ...window, certificate: JSON.stringify(cert), createdAt: now * 1000 })
          .run();
        result.created = secret.kid;
        input.audit?.record({ kind: 'key-rotated', subject: { kid: secret.kid } });
      }
    }, { behavior: 'immediate' });
    loadPrekeys();
    return result;
  };
  rotate(input.nowSeconds);

  const live = () => [...held.values()].sort((a, b) => b.notBefore - a.notBefore);

  const publishedCertificates = (now: number): NodeKeyCertificate[] =>
    nodeRows()
      .filter((r) => r.notAfter > now && (r.retiredAt === null || r.retiredAt / 1000 + RETIRED_CERTIFICATE_SECONDS > now))
      .map((r) => JSON.parse(r.certificate) as NodeKeyCertificate);

  const createPendingNodeKey = (orgKey: SigningKey, now: number) => {
    const pending = nodeRows().find((r) => r.activatedAt === null && r.retiredAt === null && r.secret !== null);
    if (pending) return { kid: pending.kid, created: false };
    if (orgKey.kind !== 'org' || orgKey.kid !== certificate.orgKid) throw new ProtocolError('BadSignature', 'the org key given is not the one that certified this node');
    const key = SigningKey.generate('node');
    const window = { notBefore: now - 60, notAfter: now + NODE_KEY_DAYS * DAY_SECONDS };
    const cert = certifyNodeKey(orgKey, input.org, { node: input.node, publicKey: key.publicKey, ...window });
    // a prekey signed by the pending key, published with it: a peer that already holds the
    // version carrying the new key seals to it, even before this node switches (and after a
    // revocation of the active key, prekeys signed by that one are useless to peers)
    const prekey = PrekeySecret.generate();
    const after = Math.max(0, ...[...held.values()].map((p) => p.notBefore + 1));
    const prekeyWindow = { notBefore: Math.max(now - 60, after), notAfter: Math.min(now + PREKEY_DAYS * DAY_SECONDS, window.notAfter) };
    const prekeyCert = certifyPrekey(key, input.node, prekey, prekeyWindow);
    db.transaction((tx) => {
      tx.insert(ownKey)
        .values({ kid: key.kid, kind: 'node', secret: Buffer.from(key.exportSeed()), publicKey: Buffer.from(key.publicKey), ...window, certificate: JSON.stringify(cert), createdAt: now * 1000 })
        .run();
      tx.insert(ownKey)
        .values({ kid: prekey.kid, kind: 'prekey', secret: Buffer.from(prekey.exportPrivateKey()), publicKey: Buffer.from(prekey.publicKey), ...prekeyWindow, certificate: JSON.stringify(prekeyCert), createdAt: now * 1000 })
        .run();
    }, { behavior: 'immediate' });
    loadPrekeys();
    return { kid: cert.key.kid, created: true };
  };

  const activatePending = (certified: ReadonlySet<string>, now: number) => {
    const pending = nodeRows().find((r) => r.activatedAt === null && r.retiredAt === null && r.secret !== null && certified.has(r.kid));
    if (!pending?.secret || pending.notBefore > now + LIMITS.clockSkewSeconds) return null;
    const retired = nodeKey.kid;
    db.transaction((tx) => {
      // the old private half is wiped at once: nothing is signed with it after the switch, and
      // its certificate stays published until what it signed has expired (ADR 0017)
      tx.update(ownKey).set({ retiredAt: now * 1000, secret: null, destroyedAt: now * 1000 }).where(eq(ownKey.kid, retired)).run();
      tx.update(ownKey).set({ activatedAt: now * 1000 }).where(eq(ownKey.kid, pending.kid)).run();
    }, { behavior: 'immediate' });

    nodeKey = SigningKey.fromSeed('node', pending.secret);
    certificate = JSON.parse(pending.certificate) as NodeKeyCertificate;
    trusted = trustedOf(pending, nodeKey);
    // prekeys from now on are signed by the new key; the old ones still open what was sealed to them
    rotate(now, { force: true });
    return { activated: nodeKey.kid, retired };
  };

  return {
    orgPublicKey: new Uint8Array(orgRow.publicKey),
    get nodeKey() {
      return nodeKey;
    },
    get certificate() {
      return certificate;
    },
    get trusted() {
      return trusted;
    },
    currentPrekey: () => {
      const newest = live()[0];
      if (!newest) throw new Error('no prekey');
      return newest.certificate;
    },
    publishedPrekeys: (now) => {
      // only prekeys still usable, signed by a node key the descriptor still publishes: a peer
      // refuses a whole descriptor with an expired prekey, and a held prekey outlives its window
      const signers = new Set(publishedCertificates(now).map((c) => c.key.kid));
      return live()
        .filter((p) => p.notAfter > now && signers.has(p.certificate.signer))
        .slice(0, 3)
        .map((p) => p.certificate);
    },
    heldPrekey: (kid) => held.get(kid),
    rotate,
    nodeKeys: () =>
      nodeRows().map((r) => ({
        kid: r.kid,
        state: r.activatedAt === null && r.retiredAt === null ? 'pending' : r.retiredAt === null ? 'active' : 'retired',
        notBefore: r.notBefore,
        notAfter: r.notAfter,
        activatedAt: r.activatedAt,
        retiredAt: r.retiredAt,
      })),
    ownTrusted: (kid) => {
      const row = db.select().from(ownKey).where(and(eq(ownKey.kind, 'node'), eq(ownKey.kid, kid))).get();
      return row ? { node: input.node, kid: row.kid, publicKey: new Uint8Array(row.publicKey), notBefore: row.notBefore, notAfter: row.notAfter } : undefined;
    },
    publishedCertificates,
    createPendingNodeKey,
    activatePending,
  };
}
