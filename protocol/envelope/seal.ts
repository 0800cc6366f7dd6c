import { ProtocolError } from '../errors.js';
import type { SigningKey } from '../crypto/keys.js';
import { signBytes } from '../crypto/signing.js';
import { seal as sealBox } from '../crypto/sodium.js';
import type { VerifiedPrekey } from '../identity.js';
import { lookupMessage, parseBody } from '../schemas/registry.js';
import { parseWith } from '../validation.js';
import { LIMITS, PROTOCOL_VERSION } from '../version.js';
import { encodeEnvelope, encodeUtf8, framePlaintext } from './frame.js';
import { InnerMessage } from './message.js';

export interface SealedEnvelope {
  /** the envelope bytes that travel (and are stored in the outbox, resent unchanged) */
  readonly envelope: Uint8Array;
  /** the exact inner bytes the sender signed, kept for evidence */
  readonly inner: Uint8Array;
  readonly signature: Uint8Array;
  readonly message: InnerMessage;
}

/**
 * Signs the inner message with the sender's node key, then seals it to the recipient's signed
 * prekey. Refuses (throws ProtocolError: a local programming error, not peer input) a message
 * that does not match its schema or carries a key its schema does not know, lacks a consent
 * commitment for personal data, is addressed to another node than the prekey's, falls outside
 * the prekey's window, or would be larger than receivers accept.
 */
export function seal(
  message: InnerMessage,
  sender: SigningKey,
  recipient: VerifiedPrekey,
  options: { /** the recipient's advertised size limit (directory); 4 MiB by default */ maxBytes?: number } = {},
): SealedEnvelope {
  const parsed = parseWith(InnerMessage, message);
  if (!parsed.ok) throw new ProtocolError('SchemaViolation', 'the message does not match its schema', { issues: parsed.issues ?? [] });
  const body = parseBody(message.typ, message.body);
  if (!body.ok) throw new ProtocolError(body.code, 'the message body does not match its schema', { issues: body.issues ?? [] });
  const type = lookupMessage(message.typ);
  if (type.ok && type.value.personalData && !message.consent) throw new ProtocolError('ConsentMissing');
  if (sender.kind !== 'node' || sender.kid !== message.kid) throw new ProtocolError('UnknownSenderKey', 'the message names another signing key than the one given');
  if (message.to !== recipient.node) throw new ProtocolError('WrongRecipient');
  if (message.created < recipient.notBefore - LIMITS.clockSkewSeconds || message.created > recipient.notAfter) {
    throw new ProtocolError('PrekeyExpired', 'the recipient prekey is not valid at the message creation time');
  }

  const inner = encodeUtf8(JSON.stringify(message));
  const signature = signBytes(sender, 'message', inner);
  const plaintext = framePlaintext(inner, signature);
  const box = sealBox(plaintext, recipient.publicKey);
  const envelope = encodeEnvelope(
    { v: PROTOCOL_VERSION, id: message.id, to: message.to, prekey: recipient.kid, expires: message.expires },
    box,
  );
  if (envelope.length > (options.maxBytes ?? LIMITS.maxEnvelopeBytes)) {
    throw new ProtocolError('TooLarge', 'the message is larger than the recipient accepts; send large content as an attachment');
  }
  return { envelope, inner, signature, message };
}
