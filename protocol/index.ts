/**
 * The public surface of protocol/: the only file node/ and cli/ import.
 * Pure: no I/O, no process, no clock of its own.
 */
export * from './version.js';
export * from './errors.js';
export * from './ids.js';
export * from './time.js';
export * from './validation.js';
export { ready, equalBytes } from './crypto/sodium.js';
export { randomBytes, sha256, sha256Binary, toBase64Url, fromBase64Url, scryptKey, type ScryptParams } from './crypto/native.js';
export { PASSWORD_COST, Password, hashPassword, verifyPassword } from './password.js';
export { SigningKey, PrekeySecret, type SigningKeyKind, fingerprint, keyId } from './crypto/keys.js';
export { CanonicalizationError, canonicalBytes, canonicalJson } from './crypto/canonical.js';
export { domainPrefix, signBytes, signObject, signedBytes, verifyBytes, verifyObject } from './crypto/signing.js';
export * from './identity.js';
export * from './attachment.js';
export * from './signed-records.js';
export * from './consent-scope.js';
export { padme } from './envelope/padding.js';
export { OuterHeader, readEnvelope, type HeaderProblem } from './envelope/frame.js';
export { ConsentCommitment, DirectoryRef, InnerMessage, type NewMessage, createMessage } from './envelope/message.js';
export { seal, type SealedEnvelope } from './envelope/seal.js';
export { open, type HeldPrekey, type OpenContext, type OpenFailure, type OpenResult, type OpenedEnvelope } from './envelope/open.js';
export * from './schemas/index.js';
export * from './http-signature.js';
export * from './client/federation.js';
export * from './client/directory.js';
export * from './client/audit.js';
export * from './client/attachment.js';
export * from './directory/index.js';
export * from './audit/index.js';
export * from './key-ring.js';
export * from './vocabulary/index.js';
export * from './case-key.js';
