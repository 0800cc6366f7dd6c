import { describe, expect, it } from 'vitest';
import {
  PrekeySecret,
  SigningKey,
  applyRevocation,
  certifyNodeKey,
  certifyPrekey,
  createPrekey,
  fingerprint,
  keyId,
  nodeKeyStatusAt,
  revokeNodeKey,
  verifyNodeKeyCertificate,
  verifyPrekey,
} from '../../protocol/index.js';
import { DAY, T0, astra, lefoe } from '../helpers/keys.js';

const window = { notBefore: T0 - DAY, notAfter: T0 + 365 * DAY };

describe('org key certifies node keys', () => {
  it('a certificate verifies under the org key and yields the node key with its window', () => {
    const nodeKey = SigningKey.generate('node');
    const cert = certifyNodeKey(astra.orgKey, astra.org, { node: astra.node, publicKey: nodeKey.publicKey, ...window });
    const trusted = verifyNodeKeyCertificate(cert, astra.orgKey.publicKey);
    expect(trusted).toMatchObject({ ok: true, value: { node: astra.node, kid: nodeKey.kid, ...window } });
    expect(trusted.ok && trusted.value.publicKey).toEqual(nodeKey.publicKey);
  });

  it('refuses another org key, a changed window, a swapped public key, an id that does not match', () => {
    const nodeKey = SigningKey.generate('node');
    const cert = certifyNodeKey(astra.orgKey, astra.org, { node: astra.node, publicKey: nodeKey.publicKey, ...window });
    expect(verifyNodeKeyCertificate(cert, lefoe.orgKey.publicKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyNodeKeyCertificate({ ...cert, key: { ...cert.key, notAfter: cert.key.notAfter + 1 } }, astra.orgKey.publicKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyNodeKeyCertificate({ ...cert, key: { ...cert.key, node: 'node:attacker' } }, astra.orgKey.publicKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    const other = SigningKey.generate('node');
    const swapped = { ...cert, key: { ...cert.key, publicKey: other.toJSON().publicKey, kid: other.kid } };
    expect(verifyNodeKeyCertificate(swapped, astra.orgKey.publicKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyNodeKeyCertificate({ ...cert, key: { ...cert.key, kid: other.kid } }, astra.orgKey.publicKey)).toMatchObject({ ok: false, code: 'SchemaViolation' });
    expect(verifyNodeKeyCertificate({ nonsense: true }, astra.orgKey.publicKey)).toMatchObject({ ok: false, code: 'SchemaViolation' });
  });

  it('a node key is certified for at most 400 days', () => {
    const nodeKey = SigningKey.generate('node');
    expect(() => certifyNodeKey(astra.orgKey, astra.org, { node: astra.node, publicKey: nodeKey.publicKey, notBefore: T0, notAfter: T0 + 401 * DAY })).toThrow();
  });

  it('only an org key certifies, only a node key signs prekeys', () => {
    expect(() => certifyNodeKey(astra.nodeKey, astra.org, { node: astra.node, publicKey: astra.nodeKey.publicKey, ...window })).toThrow(TypeError);
    expect(() => createPrekey(astra.orgKey, astra.node, window)).toThrow(TypeError);
  });

  it('a revocation signed by the org sets compromisedSince; the earliest one wins; a forged one is refused', () => {
    const revocation = revokeNodeKey(lefoe.orgKey, lefoe.org, { node: lefoe.node, kid: lefoe.nodeKey.kid, compromisedSince: T0 - 3 * DAY, revokedAt: T0, reason: 'device-lost' });
    const revoked = applyRevocation(lefoe.trustedKey, revocation, lefoe.orgKey.publicKey);
    expect(revoked).toMatchObject({ ok: true, value: { compromisedSince: T0 - 3 * DAY, revokedAt: T0 } });
    if (!revoked.ok) return;
    expect(nodeKeyStatusAt(revoked.value, T0 - 4 * DAY)).toBeNull();
    expect(nodeKeyStatusAt(revoked.value, T0 - 3 * DAY)).toBe('KeyRevoked');
    const later = revokeNodeKey(lefoe.orgKey, lefoe.org, { node: lefoe.node, kid: lefoe.nodeKey.kid, compromisedSince: T0, revokedAt: T0, reason: 'compromised' });
    expect(applyRevocation(revoked.value, later, lefoe.orgKey.publicKey)).toMatchObject({ ok: true, value: { compromisedSince: T0 - 3 * DAY } });
    expect(applyRevocation(lefoe.trustedKey, revocation, astra.orgKey.publicKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(applyRevocation(lefoe.trustedKey, { ...revocation, compromisedSince: T0 + DAY }, lefoe.orgKey.publicKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(applyRevocation(astra.trustedKey, revocation, lefoe.orgKey.publicKey)).toMatchObject({ ok: false, code: 'SchemaViolation' });
  });

  it('a node key is valid only inside its window', () => {
    expect(nodeKeyStatusAt(lefoe.trustedKey, lefoe.trustedKey.notBefore - 1)).toBe('KeyNotValid');
    expect(nodeKeyStatusAt(lefoe.trustedKey, lefoe.trustedKey.notAfter + 1)).toBe('KeyNotValid');
    expect(nodeKeyStatusAt(lefoe.trustedKey, T0)).toBeNull();
  });
});

describe('signed prekeys', () => {
  it('verify under the node key, and refuse tampering, another node key, expiry and revocation', () => {
    const { secret, certificate } = createPrekey(astra.nodeKey, astra.node, { notBefore: T0 - DAY, notAfter: T0 + 20 * DAY });
    expect(verifyPrekey(certificate, astra.trustedKey, T0)).toMatchObject({ ok: true, value: { kid: secret.kid, node: astra.node } });
    expect(verifyPrekey({ ...certificate, notAfter: certificate.notAfter + DAY }, astra.trustedKey, T0)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyPrekey(certificate, lefoe.trustedKey, T0)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyPrekey(certificate, { ...astra.trustedKey, node: astra.node, kid: astra.nodeKey.kid, publicKey: lefoe.nodeKey.publicKey }, T0)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyPrekey(certificate, astra.trustedKey, T0 + 21 * DAY)).toMatchObject({ ok: false, code: 'PrekeyExpired' });
    expect(verifyPrekey(certificate, astra.trustedKey, T0 - 2 * DAY)).toMatchObject({ ok: false, code: 'PrekeyExpired' });
    expect(verifyPrekey(certificate, { ...astra.trustedKey, compromisedSince: T0 - 2 * DAY }, T0)).toMatchObject({ ok: false, code: 'KeyRevoked' });
    expect(verifyPrekey(certificate, { ...astra.trustedKey, compromisedSince: T0 - 1 }, T0)).toMatchObject({ ok: false, code: 'KeyRevoked' });
    expect(verifyPrekey(certificate, { ...astra.trustedKey, notBefore: T0 }, T0)).toMatchObject({ ok: false, code: 'KeyNotValid' });
    expect(verifyPrekey({ ...certificate, publicKey: 'short' }, astra.trustedKey, T0)).toMatchObject({ ok: false, code: 'SchemaViolation' });
  });

  it('a prekey window is capped at 35 days and must end before the node key does', () => {
    const secret = PrekeySecret.generate();
    expect(() => certifyPrekey(astra.nodeKey, astra.node, secret, { notBefore: T0, notAfter: T0 + 36 * DAY })).toThrow();
    // a certificate past the node key's own window, signed by hand the way a broken node would
    const late = { notBefore: astra.trustedKey.notAfter - 10 * DAY, notAfter: astra.trustedKey.notAfter + 5 * DAY };
    const cert = certifyPrekey(astra.nodeKey, astra.node, secret, late);
    expect(verifyPrekey(cert, astra.trustedKey, late.notBefore)).toMatchObject({ ok: false, code: 'KeyNotValid' });
  });

  it('a prekey signed by a node key that has since expired or been revoked is refused now', () => {
    const { certificate } = createPrekey(astra.nodeKey, astra.node, { notBefore: T0 - DAY, notAfter: T0 + 20 * DAY });
    expect(verifyPrekey(certificate, { ...astra.trustedKey, notAfter: T0 + 30 * DAY }, T0).ok).toBe(true);
    expect(verifyPrekey(certificate, { ...astra.trustedKey, notAfter: T0 + 30 * DAY }, T0 + 25 * DAY)).toMatchObject({ ok: false, code: 'PrekeyExpired' });
    expect(verifyPrekey(certificate, { ...astra.trustedKey, notAfter: T0 + 10 * DAY }, T0 + 11 * DAY)).toMatchObject({ ok: false, code: 'KeyNotValid' });
    expect(verifyPrekey(certificate, { ...astra.trustedKey, revokedAt: T0 - 60 }, T0)).toMatchObject({ ok: false, code: 'KeyRevoked' });
  });

  it('a prekey is an X25519 key, separate from the Ed25519 node key', () => {
    const secret = PrekeySecret.generate();
    const cert = certifyPrekey(astra.nodeKey, astra.node, secret, { notBefore: T0, notAfter: T0 + 28 * DAY });
    expect(cert.kid).toBe(keyId('prekey', secret.publicKey));
    expect(cert.kid.startsWith('spk-')).toBe(true);
    expect(cert.publicKey).not.toBe(astra.nodeKey.toJSON().publicKey);
  });
});

describe('fingerprints people compare aloud', () => {
  it('are 8 groups of 5 digits, stable for a key and different between keys', () => {
    const fp = fingerprint(astra.orgKey.publicKey);
    expect(fp).toMatch(/^\d{5}( \d{5}){7}$/);
    expect(fingerprint(astra.orgKey.publicKey)).toBe(fp);
    expect(astra.orgKey.fingerprint()).toBe(fp);
    expect(fingerprint(lefoe.orgKey.publicKey)).not.toBe(fp);
    const flipped = Uint8Array.from(astra.orgKey.publicKey);
    flipped[31] = (flipped[31] ?? 0) ^ 1;
    expect(fingerprint(flipped)).not.toBe(fp);
  });
});
