/** The protocol suite: one version string pins every algorithm (no per-message algorithm choice). */
export const PROTOCOL_VERSION = 'corridor/1' as const;
export type ProtocolVersion = typeof PROTOCOL_VERSION;

/** Media type of a sealed envelope on the wire and in files (USB transfer). */
export const ENVELOPE_MEDIA_TYPE = 'application/corridor-envelope' as const;

/**
 * Domain-separation prefixes. Every Ed25519 signature in Corridor is made over
 * `prefix || bytes`, so a signature made for one purpose can never be replayed as another.
 * Each prefix ends in a NUL byte, which cannot occur inside the UTF-8 JSON that follows.
 */
export const SIGNATURE_DOMAINS = {
  /** the inner message bytes, signed by the sender's node key */
  message: 'corridor/1 msg\0',
  /** a delivery receipt, signed by the receiving node key */
  receipt: 'corridor/1 rcpt\0',
  /** a consent record or a consent withdrawal, signed by the recording organisation's node key */
  consent: 'corridor/1 consent\0',
  /** a signed prekey certificate, signed by the node key */
  prekey: 'corridor/1 spk\0',
  /** a node key certificate, signed by the organisation's org key */
  nodeKey: 'corridor/1 nodekey\0',
  /** a node key revocation, signed by the organisation's org key */
  revocation: 'corridor/1 revoke\0',
  /** an attachment manifest, signed by the sender's node key */
  manifest: 'corridor/1 manifest\0',
  /** an organisation's own directory entry, signed by its org key */
  directoryEntry: 'corridor/1 entry\0',
  /** a directory version (the manifest), signed by the network's stewards */
  directory: 'corridor/1 dir\0',
  /** an audit-log checkpoint, signed by the node key */
  checkpoint: 'corridor/1 ckpt\0',
  /** a case's evidence bundle, signed by the node key that exported it */
  evidence: 'corridor/1 evidence\0',
} as const;
export type SignatureDomain = keyof typeof SIGNATURE_DOMAINS;

/** Hash domain for fingerprints (not a signature, but separated all the same). */
export const FINGERPRINT_DOMAIN = 'corridor/1 fpr\0';

/** Size limits that every node enforces before doing any work. */
export const LIMITS = {
  /** the largest envelope a node accepts by default (attachments travel separately in chunks) */
  maxEnvelopeBytes: 4 * 1024 * 1024,
  /** the outer header, a small JSON object */
  maxHeaderBytes: 1024,
  /** the largest attachment (a scanned court file); it travels in chunks, not in one envelope */
  maxAttachmentBytes: 100 * 1024 * 1024,
  /** attachment chunk size (plaintext) */
  attachmentChunkBytes: 64 * 1024,
  /** the longest lifetime a message may claim (30 days is the default) */
  maxMessageLifetimeSeconds: 90 * 24 * 3600,
  defaultMessageLifetimeSeconds: 30 * 24 * 3600,
  /** a node signing key is certified for at most a year (and a few days of overlap) */
  maxNodeKeyWindowSeconds: 400 * 24 * 3600,
  /** a signed prekey is published for 14-30 days; its certificate may cover at most 35 */
  maxPrekeyWindowSeconds: 35 * 24 * 3600,
  /** tolerated clock difference between two nodes */
  clockSkewSeconds: 300,
} as const;
