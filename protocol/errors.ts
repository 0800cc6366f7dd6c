import { z } from 'zod';

/**
 * The closed list of error codes Corridor speaks, on the wire (problem reports, HTTP error
 * bodies) and inside a node. `status` is the HTTP status a node answers with; `peerVisible`
 * says whether the code may be told to a peer whose request signature did not verify
 * (an unauthenticated peer only ever learns `Rejected`: no oracle for why).
 * docs/protocol.md renders this table.
 */
export const ERROR_CODES = {
  // Envelope and message
  Malformed: { status: 400, peerVisible: false, text: 'the bytes are not a well-formed envelope or message' },
  UnsupportedVersion: { status: 400, peerVisible: true, text: 'unknown protocol version or unknown major version of a message type' },
  UnknownMessageType: { status: 400, peerVisible: true, text: 'the message type is not known in this major version' },
  SchemaViolation: { status: 400, peerVisible: false, text: 'a field is missing, of the wrong type or out of range (the field path is named, never its value)' },
  WrongRecipient: { status: 400, peerVisible: false, text: 'the envelope is addressed to another node' },
  OuterInnerMismatch: { status: 400, peerVisible: false, text: 'the outer and inner id, recipient or expiry differ' },
  UnknownPrekey: { status: 400, peerVisible: false, text: 'the envelope is sealed to a prekey this node does not hold' },
  PrekeyExpired: { status: 400, peerVisible: false, text: 'the envelope is sealed to a prekey outside its validity' },
  DecryptFailed: { status: 400, peerVisible: false, text: 'the sealed box does not open' },
  UnknownSenderKey: { status: 400, peerVisible: false, text: 'the sender key is not in the directory' },
  BadSignature: { status: 400, peerVisible: false, text: 'a signature does not verify' },
  KeyNotValid: { status: 400, peerVisible: false, text: 'the signing key was not valid when the message was created' },
  KeyRevoked: { status: 400, peerVisible: false, text: 'the signing key was revoked (compromised) before the message was created' },
  Expired: { status: 400, peerVisible: true, text: 'the message has expired' },
  NotYetValid: { status: 400, peerVisible: true, text: 'the message claims a creation time in the future' },
  IdConflict: { status: 409, peerVisible: true, text: 'the same message id was already received with different bytes' },
  TooLarge: { status: 413, peerVisible: true, text: 'the message is larger than the receiver accepts' },
  // Attachments
  AttachmentTruncated: { status: 400, peerVisible: false, text: 'the attachment ends before its final chunk' },
  AttachmentCorrupt: { status: 400, peerVisible: false, text: 'an attachment chunk does not match its manifest or does not decrypt' },
  AttachmentTooLong: { status: 400, peerVisible: false, text: 'the attachment has more bytes or chunks than its manifest declares' },
  // Consent (issue 5 enforces these; the codes are part of the protocol now)
  ConsentMissing: { status: 403, peerVisible: true, text: 'personal data arrived without a consent record' },
  ConsentScope: { status: 403, peerVisible: true, text: 'a recipient, purpose or field is outside the consent' },
  ConsentWithdrawn: { status: 403, peerVisible: true, text: 'the consent has been withdrawn' },
  ConsentExpired: { status: 403, peerVisible: true, text: 'the consent has expired' },
  // Directory
  DirectoryStale: { status: 409, peerVisible: true, text: 'the directory version is older than the one the receiver holds' },
  DirectoryRollback: { status: 409, peerVisible: true, text: 'a directory version, or an organisation entry in it, is older than the one held' },
  DirectoryUnderSigned: { status: 400, peerVisible: true, text: 'the directory version lacks the stewards\' threshold of signatures' },
  DirectoryConflict: { status: 409, peerVisible: true, text: 'two different directories carry the same version number (split view)' },
  DirectoryExpired: { status: 409, peerVisible: true, text: 'the directory version has expired: no new referral until a fresh one arrives' },
  OrgKeyAbsent: { status: 409, peerVisible: false, text: 'signing needs the org key, which is not on this node (put the org-key file back in the data directory for the ceremony)' },
  // Transport and local API
  Rejected: { status: 400, peerVisible: true, text: 'the request was refused' },
  Unauthenticated: { status: 401, peerVisible: true, text: 'the request signature is missing or does not verify' },
  InvalidRequest: { status: 400, peerVisible: true, text: 'the request does not match its schema' },
  Forbidden: { status: 403, peerVisible: false, text: 'this account may not do that, or not on this case' },
  LoginFailed: { status: 401, peerVisible: false, text: 'the account name or password is wrong, or the account is disabled' },
  NotFound: { status: 404, peerVisible: true, text: 'no such resource' },
  RateLimited: { status: 429, peerVisible: true, text: 'too many requests; retry later' },
  PeerUnavailable: { status: 503, peerVisible: false, text: 'the peer could not be reached' },
  BadResponse: { status: 502, peerVisible: false, text: 'the peer answered with something that is not a valid response' },
  Internal: { status: 500, peerVisible: true, text: 'internal error' },
  // Keys at rest (ADR 0014): a node's own data directory, never a peer's business
  KeyRejected: { status: 401, peerVisible: false, text: 'the passphrase or key does not unlock the key ring' },
  KeyRingDamaged: { status: 500, peerVisible: false, text: 'the key ring file is missing or damaged' },
  DatabaseUnreadable: { status: 500, peerVisible: false, text: 'the key ring unlocked, but the database does not open with its key: damaged, or not this node\'s' },
  CaseDataUnreadable: { status: 500, peerVisible: false, text: 'a case\'s data does not open: its case key was erased, or the data is damaged' },
} as const satisfies Record<string, { status: number; peerVisible: boolean; text: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ErrorCode = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** One problem with one field: the path and a code, never the value. */
export const FieldIssue = z.object({
  path: z.string().max(512),
  problem: z.string().max(64),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The wire body of every error answer: `{ error: { code, message, issues? } }`. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string().max(1024),
    issues: z.array(FieldIssue).max(50).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export class ProtocolError extends Error {
  override name = 'ProtocolError' as const;
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: FieldIssue[] | undefined;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; issues?: FieldIssue[] }) {
    super(message ?? ERROR_CODES[code].text, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.issues = options?.issues;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

/** A result that never throws for bad input: either a value or a typed reason. */
export type Result<T, C extends ErrorCode = ErrorCode> =
  | { ok: true; value: T }
  | { ok: false; code: C; issues?: FieldIssue[] };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<C extends ErrorCode>(code: C, issues?: FieldIssue[]): { ok: false; code: C; issues?: FieldIssue[] } {
  return issues ? { ok: false, code, issues } : { ok: false, code };
}
