import { and, eq, isNull } from 'drizzle-orm';
import {
  type HeldPrekey,
  LIMITS,
  type NodeKeyCertificate,
  type PrekeyCertificate,
  PrekeySecret,
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

export interface OwnKeys {
  readonly orgPublicKey: Uint8Array;
  readonly nodeKey: SigningKey;
  readonly certificate: NodeKeyCertificate;
  readonly trusted: TrustedNodeKey;
  /** the prekey senders should seal to now (the newest live one) */
  currentPrekey(): PrekeyCertificate;
  /** every prekey certificate still published */
  publishedPrekeys(): PrekeyCertificate[];
  heldPrekey(kid: string): HeldPrekey | undefined;
  /** create a new prekey if needed (or now, with `force`: the operator's `corridor keys rotate`), wipe expired ones; returns what changed */
  rotate(nowSeconds: number, options?: { force?: boolean }): { created: string | null; destroyed: string[] };
}

/**
 * Loads the node's keys, creating them on first start. `orgKey` certifies a new node key; the
 * org key itself is kept by the operator (node/admin/org-key.ts), not in the database.
 */
export function loadOwnKeys(db: Db, input: { node: string; org: string; orgKey: () => SigningKey; nowSeconds: number; audit?: AuditRecorder }): OwnKeys {
  let row = db.select().from(ownKey).where(and(eq(ownKey.kind, 'node'), isNull(ownKey.destroyedAt))).get();
  if (!row) {
    const orgKey = input.orgKey();
    const key = SigningKey.generate('node');
    const window = { notBefore: input.nowSeconds - 60, notAfter: input.nowSeconds + 365 * DAY_SECONDS };
    const cert = certifyNodeKey(orgKey, input.org, { node: input.node, publicKey: key.publicKey, ...window });
    const createdAt = input.nowSeconds * 1000;
    db.transaction((tx) => {
      tx.insert(ownKey)
        .values({ kid: orgKey.kid, kind: 'org', secret: null, publicKey: Buffer.from(orgKey.publicKey), ...window, certificate: '{}', createdAt })
        .onConflictDoNothing()
        .run();
      tx.insert(ownKey)
        .values({ kid: key.kid, kind: 'node', secret: Buffer.from(key.exportSeed()), publicKey: Buffer.from(key.publicKey), ...window, certificate: JSON.stringify(cert), createdAt })
        .run();
    });
    row = db.select().from(ownKey).where(eq(ownKey.kid, key.kid)).get();
  }
  if (!row?.secret) throw new Error('the node signing key is missing from the database');
  const nodeKey = SigningKey.fromSeed('node', row.secret);
  const certificate = JSON.parse(row.certificate) as NodeKeyCertificate;
  const orgRow = db.select().from(ownKey).where(and(eq(ownKey.kind, 'org'), eq(ownKey.kid, certificate.orgKid))).get();
  if (!orgRow) throw new Error('the org public key is missing from the database');
  const trusted: TrustedNodeKey = { node: input.node, kid: nodeKey.kid, publicKey: nodeKey.publicKey, notBefore: row.notBefore, notAfter: row.notAfter };

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
  return {
    orgPublicKey: new Uint8Array(orgRow.publicKey),
    nodeKey,
    certificate,
    trusted,
    currentPrekey: () => {
      const newest = live()[0];
      if (!newest) throw new Error('no prekey');
      return newest.certificate;
    },
    publishedPrekeys: () => live().slice(0, 3).map((p) => p.certificate),
    heldPrekey: (kid) => held.get(kid),
    rotate,
  };
}
