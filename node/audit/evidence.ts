import type Database from 'better-sqlite3-multiple-ciphers';
import {
  EVIDENCE_FORMAT,
  type EvidenceBody,
  type EvidenceKey,
  type SignedCheckpoint,
  type SignedConsentRecord,
  type SignedDeliveryReceipt,
  type NodeKeyCertificate,
  encodeProof,
  inclusionProof,
  toBase64Url,
} from '../../protocol/index.js';
import type { AuditLog } from './log.js';

/**
 * Gathers the evidence of one case from what the node holds (ADR 0016), inside the caller's
 * transaction: every consent version (signed records), the signed inner bytes of the messages
 * received in the case's referral threads (those a purge has not erased), the messages sent with
 * the receivers' signed receipts, the audit entries about the case with inclusion proofs against
 * `checkpoint` (those naming the case, and those naming one of its messages: queued, sent,
 * delivered with the receipt's hash, acknowledged), and the node keys needed to check the signatures.
 */
export function gatherEvidence(
  sqlite: Database.Database,
  audit: AuditLog,
  input: {
    caseId: string;
    node: string;
    org: string;
    now: number;
    orgPublicKey: Uint8Array;
    certificate: NodeKeyCertificate;
    checkpoint: SignedCheckpoint;
    /** a received message's inner bytes as signed, when they are stored sealed with the case's key (ADR 0014 step C) */
    openInner?: (inner: Uint8Array) => Uint8Array;
  },
): EvidenceBody {
  const { caseId } = input;
  const consents = (sqlite.prepare('SELECT signed FROM consent WHERE caseId = ? ORDER BY id, version').all(caseId) as { signed: string }[]).map((r) => JSON.parse(r.signed) as SignedConsentRecord);
  const threads = (sqlite.prepare('SELECT id FROM referral WHERE caseId = ? ORDER BY createdAt').all(caseId) as { id: string }[]).map((r) => r.id);
  const received: EvidenceBody['received'] = [];
  const sent: EvidenceBody['sent'] = [];
  const inThread = sqlite.prepare(`SELECT id, sender, senderKid, inner, signature FROM message WHERE thid = ? AND length(inner) > 0 ORDER BY receivedAt, id`);
  const outThread = sqlite.prepare(`SELECT id, "to", ctSha256, receipt FROM outbox_item WHERE thid = ? ORDER BY createdAt, id`);
  for (const thid of threads) {
    for (const m of inThread.all(thid) as { id: string; sender: string; senderKid: string; inner: Buffer; signature: Buffer }[]) {
      received.push({ id: m.id, from: m.sender, kid: m.senderKid, inner: toBase64Url(input.openInner ? input.openInner(m.inner) : m.inner), signature: toBase64Url(m.signature) });
    }
    for (const o of outThread.all(thid) as { id: string; to: string; ctSha256: string; receipt: string | null }[]) {
      sent.push({ id: o.id, to: o.to, ctSha256: o.ctSha256, receipt: o.receipt ? (JSON.parse(o.receipt) as SignedDeliveryReceipt) : null });
    }
  }
  // the keys of the partners whose signatures are in the bundle
  const nodes = new Set<string>([...received.map((m) => m.from), ...sent.map((s) => s.to), ...consents.map((c) => c.signer.node)]);
  nodes.delete(input.node);
  const keyRows = sqlite.prepare('SELECT node, kid, publicKey, notBefore, notAfter FROM peer_key WHERE node = ? ORDER BY kid');
  const peerKeys: EvidenceKey[] = [];
  for (const node of [...nodes].sort()) {
    for (const k of keyRows.all(node) as { node: string; kid: string; publicKey: Buffer; notBefore: number; notAfter: number }[]) {
      peerKeys.push({ node: k.node, kid: k.kid, publicKey: toBase64Url(k.publicKey), notBefore: k.notBefore, notAfter: k.notAfter });
    }
  }
  const size = input.checkpoint.checkpoint.size;
  const about = audit.entriesAbout(caseId, [...received.map((m) => m.id), ...sent.map((m) => m.id)]).filter((e) => e.seq < size);
  const leaves = about.length > 0 ? audit.leafHashes(size) : [];
  const entries = about.map((e) => {
    const proof = inclusionProof(leaves, e.seq, size);
    if (!proof.ok) throw new Error('an audit entry has no inclusion proof: run corridor audit verify');
    return { entry: toBase64Url(e.bytes), proof: encodeProof(proof.value) };
  });
  return {
    format: EVIDENCE_FORMAT,
    node: input.node,
    org: input.org,
    caseId,
    createdAt: input.now,
    orgPublicKey: toBase64Url(input.orgPublicKey),
    certificate: input.certificate,
    peerKeys,
    consents,
    received,
    sent,
    audit: { checkpoint: input.checkpoint, entries },
  };
}
