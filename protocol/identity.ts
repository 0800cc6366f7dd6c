import { z } from 'zod';
import { type Result, fail, ok } from './errors.js';
import { KeyId, NodeId, OrgId, PublicKeyB64, SignatureB64 } from './ids.js';
import { UnixTime } from './time.js';
import { LIMITS } from './version.js';
import { PrekeySecret, type SigningKey, keyId } from './crypto/keys.js';
import { signObject, verifyObject } from './crypto/signing.js';
import { fromBase64Url, toBase64Url } from './crypto/native.js';
import { parseWith } from './validation.js';

/**
 * Who holds which key, and the signed statements that say so:
 * - the org key (offline, Ed25519) certifies each node signing key and revokes it;
 * - the node key (online, Ed25519) signs messages, receipts and its own signed prekeys;
 * - signed prekeys (X25519) are what senders seal to, rotated every 14-30 days.
 * The directory (issue 4) carries these statements; this file makes and checks them.
 */

const windowOk = (v: { notBefore: number; notAfter: number }) => v.notAfter > v.notBefore;

/** A node signing key as published: its validity window is part of what the org key certifies. */
export const NodeKeyRecord = z
  .strictObject({
    node: NodeId,
    kid: KeyId,
    publicKey: PublicKeyB64,
    notBefore: UnixTime,
    notAfter: UnixTime,
  })
  .refine(windowOk, { path: ['notAfter'], message: 'window' })
  .refine((v) => v.notAfter - v.notBefore <= LIMITS.maxNodeKeyWindowSeconds, { path: ['notAfter'], message: 'too long' });
export type NodeKeyRecord = z.infer<typeof NodeKeyRecord>;

export const NodeKeyCertificate = z.strictObject({
  key: NodeKeyRecord,
  org: OrgId,
  orgKid: KeyId,
  signature: SignatureB64,
});
export type NodeKeyCertificate = z.infer<typeof NodeKeyCertificate>;

/** Revocation of a node key by its org: signatures dated at or after `compromisedSince` are refused. */
export const KeyRevocation = z.strictObject({
  node: NodeId,
  kid: KeyId,
  compromisedSince: UnixTime,
  revokedAt: UnixTime,
  reason: z.enum(['compromised', 'device-lost', 'retired']),
  org: OrgId,
  orgKid: KeyId,
  signature: SignatureB64,
});
export type KeyRevocation = z.infer<typeof KeyRevocation>;

/** A signed prekey: an X25519 public key, certified by the node key for a window. */
export const PrekeyCertificate = z
  .strictObject({
    node: NodeId,
    kid: KeyId,
    publicKey: PublicKeyB64,
    notBefore: UnixTime,
    notAfter: UnixTime,
    signer: KeyId,
    signature: SignatureB64,
  })
  .refine(windowOk, { path: ['notAfter'], message: 'window' })
  .refine((v) => v.notAfter - v.notBefore <= LIMITS.maxPrekeyWindowSeconds, { path: ['notAfter'], message: 'too long' });
export type PrekeyCertificate = z.infer<typeof PrekeyCertificate>;

/** A node key the caller trusts (it came from a verified directory), with its revocation if any. */
export interface TrustedNodeKey {
  readonly node: string;
  readonly kid: string;
  readonly publicKey: Uint8Array;
  readonly notBefore: number;
  readonly notAfter: number;
  /** set when the org revoked the key: anything signed at or after this time is refused */
  readonly compromisedSince?: number | undefined;
  /**
   * when the revocation was issued: from then on no new envelope signed by this key is accepted,
   * whatever `created` it claims (a thief could backdate); earlier signatures stay evidence
   */
  readonly revokedAt?: number | undefined;
}

declare const verifiedPrekey: unique symbol;
/** A prekey whose certificate verified against a trusted node key: the only kind `seal` accepts. */
export interface VerifiedPrekey {
  readonly node: string;
  readonly kid: string;
  readonly publicKey: Uint8Array;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly [verifiedPrekey]: true;
}

export type KeyStatusProblem = 'KeyNotValid' | 'KeyRevoked';

/** Was this node key usable for something signed at `time`? */
export function nodeKeyStatusAt(key: TrustedNodeKey, time: number): KeyStatusProblem | null {
  if (key.compromisedSince !== undefined && time >= key.compromisedSince) return 'KeyRevoked';
  if (time < key.notBefore || time > key.notAfter) return 'KeyNotValid';
  return null;
}

/** Has the org revoked this key by `now`? Then nothing new signed by it is accepted. */
export function nodeKeyRevokedBy(key: TrustedNodeKey, now: number): boolean {
  return key.revokedAt !== undefined && now >= key.revokedAt;
}

export function certifyNodeKey(
  orgKey: SigningKey,
  org: string,
  nodeKey: { node: string; publicKey: Uint8Array; notBefore: number; notAfter: number },
): NodeKeyCertificate {
  if (orgKey.kind !== 'org') throw new TypeError('node keys are certified by an org key');
  const key = NodeKeyRecord.parse({
    node: nodeKey.node,
    kid: keyId('node', nodeKey.publicKey),
    publicKey: toBase64Url(nodeKey.publicKey),
    notBefore: nodeKey.notBefore,
    notAfter: nodeKey.notAfter,
  });
  const body = { key, org, orgKid: orgKey.kid };
  return NodeKeyCertificate.parse({ ...body, signature: signObject(orgKey, 'nodeKey', body) });
}

/** Checks a node key certificate against the org's public key; never throws. */
export function verifyNodeKeyCertificate(
  input: unknown,
  orgPublicKey: Uint8Array,
): Result<TrustedNodeKey, 'SchemaViolation' | 'BadSignature'> {
  const parsed = parseWith(NodeKeyCertificate, input);
  if (!parsed.ok) return parsed;
  const { signature, ...body } = parsed.value;
  const publicKey = fromBase64Url(body.key.publicKey);
  if (!publicKey || publicKey.length !== 32 || keyId('node', publicKey) !== body.key.kid) return fail('SchemaViolation', [{ path: 'key.kid', problem: 'mismatch' }]);
  if (keyId('org', orgPublicKey) !== body.orgKid) return fail('BadSignature');
  if (!verifyObject(orgPublicKey, 'nodeKey', body, signature)) return fail('BadSignature');
  return ok({ node: body.key.node, kid: body.key.kid, publicKey, notBefore: body.key.notBefore, notAfter: body.key.notAfter });
}

export function revokeNodeKey(
  orgKey: SigningKey,
  org: string,
  revocation: { node: string; kid: string; compromisedSince: number; revokedAt: number; reason: KeyRevocation['reason'] },
): KeyRevocation {
  if (orgKey.kind !== 'org') throw new TypeError('node keys are revoked by an org key');
  const body = { ...revocation, org, orgKid: orgKey.kid };
  return KeyRevocation.parse({ ...body, signature: signObject(orgKey, 'revocation', body) });
}

/** Applies a verified revocation to a trusted key (the earliest `compromisedSince` wins). */
export function applyRevocation(
  key: TrustedNodeKey,
  input: unknown,
  orgPublicKey: Uint8Array,
): Result<TrustedNodeKey, 'SchemaViolation' | 'BadSignature'> {
  const parsed = parseWith(KeyRevocation, input);
  if (!parsed.ok) return parsed;
  const { signature, ...body } = parsed.value;
  if (body.node !== key.node || body.kid !== key.kid) return fail('SchemaViolation', [{ path: 'kid', problem: 'mismatch' }]);
  if (keyId('org', orgPublicKey) !== body.orgKid) return fail('BadSignature');
  if (!verifyObject(orgPublicKey, 'revocation', body, signature)) return fail('BadSignature');
  const since = key.compromisedSince === undefined ? body.compromisedSince : Math.min(key.compromisedSince, body.compromisedSince);
  const revokedAt = key.revokedAt === undefined ? body.revokedAt : Math.min(key.revokedAt, body.revokedAt);
  return ok({ ...key, compromisedSince: since, revokedAt });
}

/** A new prekey for this node, certified by its node key. Keep the secret; publish the certificate. */
export function createPrekey(
  nodeKey: SigningKey,
  node: string,
  window: { notBefore: number; notAfter: number },
): { secret: PrekeySecret; certificate: PrekeyCertificate } {
  if (nodeKey.kind !== 'node') throw new TypeError('prekeys are signed by a node key');
  const secret = PrekeySecret.generate();
  return { secret, certificate: certifyPrekey(nodeKey, node, secret, window) };
}

export function certifyPrekey(
  nodeKey: SigningKey,
  node: string,
  secret: PrekeySecret,
  window: { notBefore: number; notAfter: number },
): PrekeyCertificate {
  const body = {
    node,
    kid: secret.kid,
    publicKey: toBase64Url(secret.publicKey),
    notBefore: window.notBefore,
    notAfter: window.notAfter,
    signer: nodeKey.kid,
  };
  return PrekeyCertificate.parse({ ...body, signature: signObject(nodeKey, 'prekey', body) });
}

export type PrekeyProblem = 'SchemaViolation' | 'BadSignature' | 'KeyNotValid' | 'KeyRevoked' | 'PrekeyExpired';

/**
 * A sender checks the recipient's prekey once, when it takes it from the directory: the
 * certificate verifies under the recipient's node key, that key is valid now and was when the
 * prekey window began, the window ends before the node key's does, and the prekey is usable now.
 */
export function verifyPrekey(input: unknown, nodeKey: TrustedNodeKey, now: number): Result<VerifiedPrekey, PrekeyProblem> {
  const parsed = parseWith(PrekeyCertificate, input);
  if (!parsed.ok) return parsed;
  const { signature, ...body } = parsed.value;
  const publicKey = fromBase64Url(body.publicKey);
  if (!publicKey || publicKey.length !== 32 || keyId('prekey', publicKey) !== body.kid) return fail('SchemaViolation', [{ path: 'kid', problem: 'mismatch' }]);
  if (body.node !== nodeKey.node || body.signer !== nodeKey.kid) return fail('BadSignature');
  if (!verifyObject(nodeKey.publicKey, 'prekey', body, signature)) return fail('BadSignature');
  const status = nodeKeyStatusAt(nodeKey, body.notBefore) ?? nodeKeyStatusAt(nodeKey, now);
  if (status) return fail(status);
  if (nodeKeyRevokedBy(nodeKey, now)) return fail('KeyRevoked');
  if (body.notAfter > nodeKey.notAfter) return fail('KeyNotValid');
  if (now < body.notBefore - LIMITS.clockSkewSeconds || now > body.notAfter) return fail('PrekeyExpired');
  return ok({ node: body.node, kid: body.kid, publicKey, notBefore: body.notBefore, notAfter: body.notAfter } as VerifiedPrekey);
}
