import { type Result, fail, ok } from './errors.js';
import { canonicalBytes } from './crypto/canonical.js';
import type { SigningKey } from './crypto/keys.js';
import { sha256, toBase64Url } from './crypto/native.js';
import { signObject, verifyObject } from './crypto/signing.js';
import { type TrustedNodeKey, nodeKeyStatusAt } from './identity.js';
import { ConsentRecord, SignedConsentRecord } from './schemas/consent.js';
import { DeliveryReceipt, SignedDeliveryReceipt } from './schemas/control.js';
import { parseWith } from './validation.js';

/**
 * Signed objects other than the inner message: a consent record (domain `consent`) and a
 * delivery receipt (domain `receipt`), each over its RFC 8785 canonical bytes. A message that
 * carries personal data commits to `consentHash(record)` inside its own signature.
 */

/** SHA-256 of the consent record's canonical bytes, base64url: what messages commit to. */
export function consentHash(record: ConsentRecord): string {
  return toBase64Url(sha256(canonicalBytes(record)));
}

export function signConsentRecord(nodeKey: SigningKey, node: string, record: ConsentRecord): SignedConsentRecord {
  const parsed = ConsentRecord.parse(record);
  return SignedConsentRecord.parse({ record: parsed, signer: { node, kid: nodeKey.kid }, signature: signObject(nodeKey, 'consent', parsed) });
}

export type SignedRecordProblem = 'SchemaViolation' | 'BadSignature' | 'KeyNotValid' | 'KeyRevoked';

/**
 * Checks a signed consent record against the recording node's key, valid and not revoked when
 * this version was recorded (`recordedAt`: a withdrawal signed today by today's key verifies).
 * Returns the record and its hash.
 */
export function verifyConsentRecord(
  input: unknown,
  signerKey: TrustedNodeKey,
): Result<{ record: ConsentRecord; hash: string }, SignedRecordProblem> {
  const parsed = parseWith(SignedConsentRecord, input);
  if (!parsed.ok) return parsed;
  const { record, signer, signature } = parsed.value;
  if (signer.node !== signerKey.node || signer.kid !== signerKey.kid) return fail('BadSignature');
  if (!verifyObject(signerKey.publicKey, 'consent', record, signature)) return fail('BadSignature');
  const status = nodeKeyStatusAt(signerKey, record.recordedAt);
  if (status) return fail(status);
  return ok({ record, hash: consentHash(record) });
}

export function signReceipt(nodeKey: SigningKey, receipt: DeliveryReceipt): SignedDeliveryReceipt {
  const parsed = DeliveryReceipt.parse(receipt);
  if (parsed.kid !== nodeKey.kid) throw new TypeError('the receipt names another key than the one signing it');
  return { receipt: parsed, signature: signObject(nodeKey, 'receipt', parsed) };
}

/** The sender checks the receiver's signed receipt before it marks a message delivered. */
export function verifyReceipt(input: unknown, receiverKey: TrustedNodeKey): Result<DeliveryReceipt, SignedRecordProblem> {
  const parsed = parseWith(SignedDeliveryReceipt, input);
  if (!parsed.ok) return parsed;
  const { receipt, signature } = parsed.value;
  if (receipt.to !== receiverKey.node || receipt.kid !== receiverKey.kid) return fail('BadSignature');
  if (!verifyObject(receiverKey.publicKey, 'receipt', receipt, signature)) return fail('BadSignature');
  const status = nodeKeyStatusAt(receiverKey, receipt.receivedAt);
  if (status) return fail(status);
  return ok(receipt);
}
