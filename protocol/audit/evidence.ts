import { z } from 'zod';
import type { SigningKey } from '../crypto/keys.js';
import { fingerprint } from '../crypto/keys.js';
import { canonicalBytes } from '../crypto/canonical.js';
import { fromBase64Url, sha256, toBase64Url } from '../crypto/native.js';
import { signObject, verifyBytes, verifyObject } from '../crypto/signing.js';
import { NodeKeyCertificate, type TrustedNodeKey, verifyNodeKeyCertificate } from '../identity.js';
import { Base64Url, KeyId, NodeId, OrgId, PublicKeyB64, Sha256, SignatureB64, Ulid } from '../ids.js';
import { SignedConsentRecord } from '../schemas/consent.js';
import { SignedDeliveryReceipt } from '../schemas/control.js';
import { verifyConsentRecord, verifyReceipt } from '../signed-records.js';
import { UnixTime } from '../time.js';
import { AuditProof, SignedCheckpoint, decodeProof, verifyCheckpoint } from './checkpoint.js';
import { parseAuditEntry } from './entry.js';
import { leafHash, verifyInclusion } from './merkle.js';

/**
 * The evidence bundle of one case (ADR 0016): what a third party (a court, an ombudsperson, an
 * auditor) checks offline, with nothing but this file and the exporting organisation's key
 * fingerprint, obtained from that organisation by another channel.
 *
 * - the exporting node's key certificate, signed by its org key (given in full);
 * - every consent version of the case (signed records) and the signatures of received messages
 *   over their exact inner bytes; for messages sent, the envelope hash and the receiver's signed
 *   receipt (the node cannot reopen what it sealed to someone else);
 * - the audit entries about the case or its messages with RFC 6962 inclusion proofs against a
 *   signed checkpoint;
 * - the partners' node keys as the exporting node held them (from the signed directory);
 * - all of it signed by the exporting node key (domain `evidence`) and stored as its RFC 8785
 *   bytes, so that any change of any byte fails: the file must be exactly canonical.
 */

export const EVIDENCE_FORMAT = 'corridor-evidence/1';

export const EvidenceKey = z.strictObject({ node: NodeId, kid: KeyId, publicKey: PublicKeyB64, notBefore: UnixTime, notAfter: UnixTime });
export type EvidenceKey = z.infer<typeof EvidenceKey>;

export const EvidenceBody = z.strictObject({
  format: z.literal(EVIDENCE_FORMAT),
  node: NodeId,
  org: OrgId,
  caseId: Ulid,
  createdAt: UnixTime,
  orgPublicKey: PublicKeyB64,
  certificate: NodeKeyCertificate,
  peerKeys: z.array(EvidenceKey).max(1000),
  consents: z.array(SignedConsentRecord).max(10_000),
  received: z.array(z.strictObject({ id: Ulid, from: NodeId, kid: KeyId, inner: Base64Url, signature: SignatureB64 })).max(10_000),
  sent: z.array(z.strictObject({ id: Ulid, to: NodeId, ctSha256: Sha256, receipt: SignedDeliveryReceipt.nullable() })).max(10_000),
  audit: z.strictObject({
    checkpoint: SignedCheckpoint,
    entries: z.array(z.strictObject({ entry: Base64Url, proof: AuditProof })).max(100_000),
  }),
});
export type EvidenceBody = z.infer<typeof EvidenceBody>;

export const EvidenceBundle = z.strictObject({ evidence: EvidenceBody, signature: SignatureB64 });
export type EvidenceBundle = z.infer<typeof EvidenceBundle>;

/** The node's side: sign the body; the file is `canonicalBytes` of the result. */
export function signEvidence(nodeKey: SigningKey, body: EvidenceBody): Uint8Array {
  const parsed = EvidenceBody.parse(body);
  return canonicalBytes({ evidence: parsed, signature: signObject(nodeKey, 'evidence', parsed) });
}

export type EvidenceReason =
  | 'not-json'
  | 'not-canonical'
  | 'schema'
  | 'org-key'
  | 'certificate'
  | 'signature'
  | 'checkpoint'
  | 'entry'
  | 'inclusion'
  | 'consent'
  | 'message'
  | 'receipt';

export interface EvidenceSummary {
  node: string;
  org: string;
  caseId: string;
  createdAt: number;
  orgKeyFingerprint: string;
  consents: number;
  received: number;
  sent: number;
  receipts: number;
  entries: number;
  checkpointSize: number;
}

export type EvidenceCheck = { ok: true; summary: EvidenceSummary } | { ok: false; part: string; reason: EvidenceReason };

const bad = (part: string, reason: EvidenceReason): EvidenceCheck => ({ ok: false, part, reason });

/**
 * Checks a bundle's exact bytes, offline; never throws. `orgKeyFingerprint` (as `fingerprint`
 * prints it): the exporting organisation's key must be that one. Without it the check still runs,
 * and the summary's fingerprint is what the reader must compare by another channel.
 */
export function checkEvidence(bytes: Uint8Array, options: { orgKeyFingerprint?: string } = {}): EvidenceCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return bad('(file)', 'not-json');
  }
  const shaped = EvidenceBundle.safeParse(parsed);
  if (!shaped.success) return bad(shaped.error.issues[0]?.path.join('.') || '(root)', 'schema');
  let canonical: Uint8Array;
  try {
    canonical = canonicalBytes(parsed);
  } catch {
    return bad('(file)', 'not-canonical');
  }
  if (canonical.length !== bytes.length || !canonical.every((b, i) => b === bytes[i])) return bad('(file)', 'not-canonical');
  const { evidence: e, signature } = shaped.data;

  const orgKey = fromBase64Url(e.orgPublicKey);
  if (!orgKey) return bad('evidence.orgPublicKey', 'schema');
  const orgKeyFingerprint = fingerprint(orgKey);
  if (options.orgKeyFingerprint !== undefined && normalise(options.orgKeyFingerprint) !== normalise(orgKeyFingerprint)) return bad('evidence.orgPublicKey', 'org-key');
  const own = verifyNodeKeyCertificate(e.certificate, orgKey);
  if (!own.ok || own.value.node !== e.node) return bad('evidence.certificate', 'certificate');
  if (!verifyObject(own.value.publicKey, 'evidence', e, signature)) return bad('signature', 'signature');

  const keys = new Map<string, TrustedNodeKey>([[`${own.value.node}#${own.value.kid}`, own.value]]);
  for (const k of e.peerKeys) {
    const publicKey = fromBase64Url(k.publicKey);
    if (publicKey) keys.set(`${k.node}#${k.kid}`, { node: k.node, kid: k.kid, publicKey, notBefore: k.notBefore, notAfter: k.notAfter });
  }
  const keyOf = (node: string, kid: string) => keys.get(`${node}#${kid}`);

  const checkpoint = verifyCheckpoint(e.audit.checkpoint, own.value);
  if (!checkpoint.ok || checkpoint.value.log !== e.node) return bad('evidence.audit.checkpoint', 'checkpoint');
  const root = fromBase64Url(checkpoint.value.root)!;
  // an entry belongs in the bundle if it names the case or one of the case's messages in it
  const messageIds = new Set<string>([...e.received.map((m) => m.id), ...e.sent.map((m) => m.id)]);
  for (const [i, item] of e.audit.entries.entries()) {
    const entryBytes = fromBase64Url(item.entry);
    let entry: unknown;
    try {
      entry = entryBytes ? JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(entryBytes)) : null;
    } catch {
      entry = null;
    }
    const valid = parseAuditEntry(entry);
    if (!entryBytes || !valid.ok || toBase64Url(canonicalBytes(valid.value)) !== item.entry || (valid.value.subject.caseId !== e.caseId && !(valid.value.subject.messageId !== undefined && messageIds.has(valid.value.subject.messageId)))) return bad(`evidence.audit.entries.${i}`, 'entry');
    const proof = decodeProof(item.proof);
    if (!proof || !verifyInclusion(leafHash(entryBytes), valid.value.seq, checkpoint.value.size, proof, root)) return bad(`evidence.audit.entries.${i}`, 'inclusion');
  }
  for (const [i, c] of e.consents.entries()) {
    const key = keyOf(c.signer.node, c.signer.kid);
    if (!key || !verifyConsentRecord(c, key).ok) return bad(`evidence.consents.${i}`, 'consent');
  }
  for (const [i, m] of e.received.entries()) {
    const key = keyOf(m.from, m.kid);
    const inner = fromBase64Url(m.inner);
    const sig = fromBase64Url(m.signature);
    if (!key || !inner || !sig || !verifyBytes(key.publicKey, 'message', inner, sig)) return bad(`evidence.received.${i}`, 'message');
  }
  let receipts = 0;
  for (const [i, s] of e.sent.entries()) {
    if (!s.receipt) continue;
    const key = keyOf(s.to, s.receipt.receipt.kid);
    const checked = key ? verifyReceipt(s.receipt, key) : null;
    if (!checked || !checked.ok || checked.value.id !== s.id || checked.value.ctSha256 !== s.ctSha256 || checked.value.from !== e.node) return bad(`evidence.sent.${i}`, 'receipt');
    receipts++;
  }
  return {
    ok: true,
    summary: {
      node: e.node,
      org: e.org,
      caseId: e.caseId,
      createdAt: e.createdAt,
      orgKeyFingerprint,
      consents: e.consents.length,
      received: e.received.length,
      sent: e.sent.length,
      receipts,
      entries: e.audit.entries.length,
      checkpointSize: checkpoint.value.size,
    },
  };
}

const normalise = (text: string) => text.replace(/[\s-]/g, '').toLowerCase();

/** SHA-256 (base64url) of a bundle's bytes: the `export` hash of the `case-exported` entry. */
export function evidenceHash(bytes: Uint8Array): string {
  return toBase64Url(sha256(bytes));
}
