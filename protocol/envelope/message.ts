import { z } from 'zod';
import { KeyId, NodeId, Sha256, Ulid, newId } from '../ids.js';
import { MessageTypeString } from '../schemas/registry.js';
import { UnixTime } from '../time.js';
import { LIMITS } from '../version.js';

/** The directory view the sender used to pick keys: lets receivers notice split views. */
export const DirectoryRef = z.strictObject({ version: z.number().int().min(0), hash: Sha256 });
export type DirectoryRef = z.infer<typeof DirectoryRef>;

/** The exact consent record version a message with personal data is sent under. */
export const ConsentCommitment = z.strictObject({ id: Ulid, hash: Sha256 });
export type ConsentCommitment = z.infer<typeof ConsentCommitment>;

/**
 * The inner message: what the sender signs (its exact UTF-8 JSON bytes) and seals.
 * `to` is inside the signature, so a recipient cannot re-seal it to a third party.
 */
export const InnerMessage = z
  .strictObject({
    typ: MessageTypeString,
    id: Ulid,
    thid: Ulid,
    pthid: Ulid.optional(),
    from: NodeId,
    kid: KeyId,
    to: NodeId,
    created: UnixTime,
    expires: UnixTime,
    dir: DirectoryRef,
    consent: ConsentCommitment.optional(),
    body: z.record(z.string(), z.unknown()),
  })
  .refine((m) => m.expires > m.created, { path: ['expires'], message: 'order' })
  .refine((m) => m.expires - m.created <= LIMITS.maxMessageLifetimeSeconds, { path: ['expires'], message: 'lifetime' });
export type InnerMessage = z.infer<typeof InnerMessage>;

export interface NewMessage {
  typ: string;
  from: string;
  kid: string;
  to: string;
  /** the thread; a new thread starts with the message's own id */
  thid?: string;
  pthid?: string;
  dir: DirectoryRef;
  consent?: ConsentCommitment;
  body: Record<string, unknown>;
  /** lifetime in seconds; 30 days by default */
  lifetime?: number;
}

/** Builds an inner message with a fresh ULID, `created` = now and `expires` = now + lifetime. */
export function createMessage(input: NewMessage, nowMs: number): InnerMessage {
  const id = newId(nowMs);
  const created = Math.floor(nowMs / 1000);
  const message: InnerMessage = {
    typ: input.typ,
    id,
    thid: input.thid ?? id,
    ...(input.pthid ? { pthid: input.pthid } : {}),
    from: input.from,
    kid: input.kid,
    to: input.to,
    created,
    expires: created + (input.lifetime ?? LIMITS.defaultMessageLifetimeSeconds),
    dir: input.dir,
    ...(input.consent ? { consent: input.consent } : {}),
    body: input.body,
  };
  return message;
}
