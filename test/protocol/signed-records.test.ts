import { describe, expect, it } from 'vitest';
import { type ConsentRecord, consentHash, sha256, signConsentRecord, signObject, signReceipt, toBase64Url, verifyConsentRecord, verifyReceipt } from '../../protocol/index.js';
import { DAY, T0, astra, lefoe } from '../helpers/keys.js';

const record = (): ConsentRecord => ({
  schema: 'corridor/consent-record/1',
  id: '01JDQ8Z3K8Q4W6X2M7N5P0R1S2',
  version: 1,
  recordedAt: T0 - DAY,
  controller: 'org:lefoe-ibf',
  recordedBy: { org: 'org:lefoe-ibf', staffRef: 'staff:7f3a9c' },
  subjectRef: 'hK9s2LqP0xVb7TzR4mWn',
  legalBasis: 'dpv:ExplicitlyExpressedConsent',
  jurisdiction: 'AT',
  given: { method: 'verbal', language: 'sr', interpreterPresent: true, givenBy: 'data-subject', at: T0 - DAY },
  processing: [
    {
      purposes: ['return-travel', 'reintegration'],
      recipients: ['org:astra'],
      categories: ['identity', 'contact', 'needs'],
      fields: ['/person/givenName', '/person/phone', '/needs'],
      onwardSharing: { allowed: false, to: [] },
      retention: 'P2Y',
    },
  ],
  validFrom: T0 - DAY,
  expires: T0 + 180 * DAY,
  status: 'given',
  events: [{ status: 'given', at: T0 - DAY, by: 'data-subject' }],
});

describe('consent records: signed over their canonical bytes, committed to by hash', () => {
  it('the hash does not depend on key order (RFC 8785), and changes with any value', () => {
    const a = record();
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as ConsentRecord;
    expect(consentHash(reordered)).toBe(consentHash(a));
    expect(consentHash({ ...a, version: 2 })).not.toBe(consentHash(a));
    expect(consentHash(a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a signed record verifies under the recording node key and returns its hash', () => {
    const signed = signConsentRecord(lefoe.nodeKey, lefoe.node, record());
    const verified = verifyConsentRecord(signed, lefoe.trustedKey);
    expect(verified).toMatchObject({ ok: true, value: { hash: consentHash(record()) } });
  });

  it('a changed field, another signer, a key revoked before consent was given are refused', () => {
    const signed = signConsentRecord(lefoe.nodeKey, lefoe.node, record());
    const widened = { ...signed, record: { ...signed.record, processing: [{ ...signed.record.processing[0]!, recipients: ['org:astra', 'org:attacker'] }] } };
    expect(verifyConsentRecord(widened, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyConsentRecord(signed, astra.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyConsentRecord(signed, { ...lefoe.trustedKey, compromisedSince: T0 - 2 * DAY })).toMatchObject({ ok: false, code: 'KeyRevoked' });
    expect(verifyConsentRecord({ ...signed, record: { ...signed.record, extra: 1 } }, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'SchemaViolation' });
  });

  it('a signature over the same object in another domain does not verify (domain separation)', () => {
    const receipt = { v: 'corridor/1' as const, id: '01JDQ8Z3K8Q4W6X2M7N5P0R1S2', from: astra.node, to: lefoe.node, ctSha256: toBase64Url(sha256(new Uint8Array(1))), receivedAt: T0, kid: lefoe.nodeKey.kid };
    expect(verifyReceipt({ receipt, signature: signObject(lefoe.nodeKey, 'receipt', receipt) }, lefoe.trustedKey).ok).toBe(true);
    expect(verifyReceipt({ receipt, signature: signObject(lefoe.nodeKey, 'consent', receipt) }, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    const r = record();
    const signed = signConsentRecord(lefoe.nodeKey, lefoe.node, r);
    expect(verifyConsentRecord({ ...signed, signature: signObject(lefoe.nodeKey, 'receipt', r) }, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
  });

  it('a withdrawal recorded today verifies under today\'s key, though consent was given under an older one', () => {
    const withdrawn: ConsentRecord = { ...record(), version: 2, recordedAt: T0, status: 'withdrawn', events: [...record().events, { status: 'withdrawn', at: T0, by: 'data-subject' }] };
    const signed = signConsentRecord(lefoe.nodeKey, lefoe.node, withdrawn);
    const rotatedKey = { ...lefoe.trustedKey, notBefore: T0 - 3600 }; // the key in use since an hour ago
    expect(verifyConsentRecord(signed, rotatedKey).ok).toBe(true);
    expect(verifyConsentRecord(signConsentRecord(lefoe.nodeKey, lefoe.node, record()), rotatedKey)).toMatchObject({ ok: false, code: 'KeyNotValid' });
  });
});

describe('delivery receipts', () => {
  const receipt = () => ({
    v: 'corridor/1' as const,
    id: '01JDQ8Z3K8Q4W6X2M7N5P0R1S2',
    from: lefoe.node,
    to: astra.node,
    ctSha256: toBase64Url(sha256(new TextEncoder().encode('envelope bytes'))),
    receivedAt: T0,
    kid: astra.nodeKey.kid,
  });

  it('ASTRA signs a receipt that LEFÖ-IBF verifies; a changed hash or time is refused', () => {
    const signed = signReceipt(astra.nodeKey, receipt());
    expect(verifyReceipt(signed, astra.trustedKey)).toMatchObject({ ok: true, value: receipt() });
    expect(verifyReceipt({ ...signed, receipt: { ...signed.receipt, receivedAt: T0 + 1 } }, astra.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyReceipt({ ...signed, receipt: { ...signed.receipt, ctSha256: toBase64Url(sha256(new Uint8Array(2))) } }, astra.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(verifyReceipt(signed, lefoe.trustedKey)).toMatchObject({ ok: false, code: 'BadSignature' });
  });

  it('a key id that is not the signer is refused at signing time', () => {
    expect(() => signReceipt(lefoe.nodeKey, receipt())).toThrow(TypeError);
  });
});
