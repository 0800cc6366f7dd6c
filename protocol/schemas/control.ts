import { z } from 'zod';
import { ErrorCode, FieldIssue } from '../errors.js';
import { KeyId, NodeId, Sha256, SignatureB64, Ulid } from '../ids.js';
import { PROTOCOL_VERSION } from '../version.js';
import { UnixTime } from '../time.js';
import { defineFamily } from './family.js';
import { SignedCheckpoint } from '../audit/checkpoint.js';

/** Family `message`: application-level acknowledgements and problem reports. */

export const MessageAck = z.object({
  ackOf: z.array(Ulid).min(1).max(100),
  status: z.enum(['received', 'processed', 'pending']),
  /** the acknowledging node's latest signed audit checkpoint, for cross-witnessing (like receipts) */
  checkpoint: SignedCheckpoint.optional(),
});
export type MessageAck = z.infer<typeof MessageAck>;

/**
 * Tells the sender why a message was not processed, with a code from the closed list.
 * @NOTE Only sent to a sender whose signature verified: an unauthenticated peer gets the
 * transport's bare `Rejected` and nothing else (no oracle). Issues name fields, never values.
 */
export const ProblemReport = z.object({
  code: ErrorCode,
  /** the id of the message this is about */
  about: Ulid,
  issues: z.array(FieldIssue).max(50).optional(),
  comment: z.string().max(500).optional(),
});
export type ProblemReport = z.infer<typeof ProblemReport>;

/**
 * Transport object, not a message body: what the receiving node signs when it has stored an
 * envelope (the answer to `PUT /federation/v1/inbox/{id}`). Strict because it is signed.
 */
export const DeliveryReceipt = z.strictObject({
  v: z.literal(PROTOCOL_VERSION),
  /** the message id */
  id: Ulid,
  /** the node that sent the message */
  from: NodeId,
  /** the node that received it and signs this receipt */
  to: NodeId,
  /** SHA-256 of the envelope bytes as received */
  ctSha256: Sha256,
  receivedAt: UnixTime,
  /** the receiver's signing key */
  kid: KeyId,
  /**
   * the receiver's latest audit-log checkpoint, signed by its node key (domain `checkpoint`), for
   * cross-witnessing: the sender keeps it and checks the next one against it
   */
  checkpoint: SignedCheckpoint.optional(),
});
export type DeliveryReceipt = z.infer<typeof DeliveryReceipt>;

export const SignedDeliveryReceipt = z.strictObject({
  receipt: DeliveryReceipt,
  signature: SignatureB64,
});
export type SignedDeliveryReceipt = z.infer<typeof SignedDeliveryReceipt>;

export const messageFamily = defineFamily({
  family: 'message',
  major: 1,
  minor: 0,
  bodies: {
    ack: MessageAck,
    'problem-report': ProblemReport,
  },
  personalData: {
    ack: false,
    'problem-report': false,
  },
});
