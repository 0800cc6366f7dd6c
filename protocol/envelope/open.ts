import { type ErrorCode, type FieldIssue, fail } from '../errors.js';
import type { PrekeySecret } from '../crypto/keys.js';
import { verifyBytes } from '../crypto/signing.js';
import { type TrustedNodeKey, nodeKeyRevokedBy, nodeKeyStatusAt } from '../identity.js';
import { KeyId, NodeId } from '../ids.js';
import { lookupMessage, parseBody } from '../schemas/registry.js';
import { parseWith } from '../validation.js';
import { LIMITS } from '../version.js';
import { isStringifyForm } from './canonical-text.js';
import { type OuterHeader, decodeUtf8, readEnvelope, unframePlaintext } from './frame.js';
import { InnerMessage } from './message.js';

/** A prekey this node still holds (the private half), with its window. */
export interface HeldPrekey {
  readonly secret: PrekeySecret;
  readonly notBefore: number;
  readonly notAfter: number;
}

/** What `open` needs to know; the node builds it from its key store and the directory. */
export interface OpenContext {
  /** this node's id */
  readonly self: string;
  /** now, in Unix seconds, from the node's clock */
  readonly now: number;
  readonly prekey: (kid: string) => HeldPrekey | undefined;
  readonly senderKey: (node: string, kid: string) => TrustedNodeKey | undefined;
  readonly maxBytes?: number;
}

export type OpenFailure = Extract<
  ErrorCode,
  | 'TooLarge'
  | 'Malformed'
  | 'UnsupportedVersion'
  | 'UnknownMessageType'
  | 'SchemaViolation'
  | 'WrongRecipient'
  | 'OuterInnerMismatch'
  | 'UnknownPrekey'
  | 'PrekeyExpired'
  | 'DecryptFailed'
  | 'UnknownSenderKey'
  | 'BadSignature'
  | 'KeyNotValid'
  | 'KeyRevoked'
  | 'Expired'
  | 'NotYetValid'
  | 'ConsentMissing'
>;

export interface OpenedEnvelope {
  readonly header: OuterHeader;
  readonly message: InnerMessage;
  /** the exact signed bytes and the signature: evidence that the sender said this, to us */
  readonly inner: Uint8Array;
  readonly signature: Uint8Array;
  readonly senderKey: TrustedNodeKey;
}

export type OpenResult = { ok: true; value: OpenedEnvelope } | { ok: false; code: OpenFailure; issues?: FieldIssue[] };

/** A lookup callback of the caller failed (say, its database was busy): not the peer's fault. */
class LookupFailure {
  constructor(readonly cause: unknown) {}
}

function lookup<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new LookupFailure(error);
  }
}

/**
 * Opens an envelope. Never throws for bad input: every refusal is a typed reason (docs/protocol.md
 * §3 lists the checks in order). Only a failure of the caller's own `prekey` or `senderKey`
 * lookup is rethrown as it was, so that a busy database is not mistaken for a bad envelope.
 */
export function open(envelope: Uint8Array, ctx: OpenContext): OpenResult {
  try {
    return openUnchecked(envelope, ctx);
  } catch (error) {
    if (error instanceof LookupFailure) throw error.cause;
    // @NOTE defensive: no input may crash the caller; every known path returns a reason above
    return fail('Malformed');
  }
}

function openUnchecked(envelope: Uint8Array, ctx: OpenContext): OpenResult {
  const read = readEnvelope(envelope, ctx.maxBytes ?? LIMITS.maxEnvelopeBytes);
  if (!read.ok) return read;
  const { header, box } = read.value;
  const skew = LIMITS.clockSkewSeconds;

  if (header.to !== ctx.self) return fail('WrongRecipient');
  if (header.expires < ctx.now) return fail('Expired');
  const prekey = lookup(() => ctx.prekey(header.prekey));
  if (!prekey) return fail('UnknownPrekey');
  if (ctx.now > prekey.notAfter + LIMITS.maxMessageLifetimeSeconds + skew) return fail('PrekeyExpired');

  const plaintext = prekey.secret.open(box);
  if (!plaintext) return fail('DecryptFailed');
  const framed = unframePlaintext(plaintext);
  if (!framed) return fail('Malformed');
  const text = decodeUtf8(framed.inner);
  if (text === null) return fail('Malformed');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('Malformed');
  }
  // one text, one meaning: no duplicate keys, whitespace or alternative escapes in signed evidence
  if (!isStringifyForm(text, json)) return fail('Malformed');

  // who claims to have signed: only `from` and `kid` are read before the signature is checked
  const claimed = json as { from?: unknown; kid?: unknown } | null;
  if (typeof claimed !== 'object' || claimed === null) return fail('Malformed');
  const from = NodeId.safeParse(claimed.from);
  const kid = KeyId.safeParse(claimed.kid);
  if (!from.success || !kid.success) return fail('Malformed');
  const senderKey = lookup(() => ctx.senderKey(from.data, kid.data));
  if (!senderKey || senderKey.node !== from.data || senderKey.kid !== kid.data) return fail('UnknownSenderKey');
  if (!verifyBytes(senderKey.publicKey, 'message', framed.inner, framed.signature)) return fail('BadSignature');
  if (nodeKeyRevokedBy(senderKey, ctx.now)) return fail('KeyRevoked');

  const parsed = parseWith(InnerMessage, json);
  if (!parsed.ok) return parsed;
  const message = parsed.value;
  if (message.id !== header.id || message.to !== header.to || message.expires !== header.expires) return fail('OuterInnerMismatch');

  const keyProblem = nodeKeyStatusAt(senderKey, message.created);
  if (keyProblem) return fail(keyProblem);
  if (message.created < prekey.notBefore - skew || message.created > prekey.notAfter + skew) return fail('PrekeyExpired');
  if (message.created > ctx.now + skew) return fail('NotYetValid');
  if (message.expires < ctx.now) return fail('Expired');

  const type = lookupMessage(message.typ);
  if (!type.ok) return type;
  const body = parseBody(message.typ, message.body);
  if (!body.ok) return body;
  if (type.value.personalData && !message.consent) return fail('ConsentMissing');

  return {
    ok: true,
    value: { header, message: { ...message, body: body.value as Record<string, unknown> }, inner: framed.inner, signature: framed.signature, senderKey },
  };
}
