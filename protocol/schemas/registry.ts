import { z } from 'zod';
import { type Result, fail, ok } from '../errors.js';
import { parseWith, strippedKeys } from '../validation.js';
import { consentFamily } from './consent.js';
import { messageFamily } from './control.js';
import { courtTripFamily } from './court-trip.js';
import type { MessageFamily } from './family.js';
import { referralFamily } from './referral.js';

/** Every message family this node speaks, at its current version. */
export const FAMILIES = [referralFamily, consentFamily, courtTripFamily, messageFamily] as const;

type KnownFamily = (typeof FAMILIES)[number];
export type FamilyName = KnownFamily['family'];
export type MessageName<F extends FamilyName> = keyof Extract<KnownFamily, { family: F }>['bodies'] & string;

{
  const names = FAMILIES.map((f) => f.family);
  if (new Set(names).size !== names.length) throw new Error('duplicate message family');
}

/** `corridor/<family>/<major>.<minor>/<name>` */
export const MessageTypeString = z
  .string()
  .max(128)
  .regex(/^corridor\/[a-z][a-z0-9-]*\/(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})\/[a-z][a-z0-9-]*$/, 'message type');

export interface ParsedMessageType {
  family: string;
  major: number;
  minor: number;
  name: string;
}

/** Splits a typ string; null when it does not follow the grammar. */
export function parseMessageType(typ: string): ParsedMessageType | null {
  if (!MessageTypeString.safeParse(typ).success) return null;
  const [, family, version, name] = typ.split('/');
  const [major, minor] = (version ?? '').split('.');
  if (family === undefined || name === undefined || major === undefined || minor === undefined) return null;
  return { family, major: Number(major), minor: Number(minor), name };
}

function findFamily(family: string): MessageFamily | undefined {
  return FAMILIES.find((f) => f.family === family);
}

/** The typ a node sends today, e.g. `corridor/referral/1.0/offer`. Throws on a name it does not know. */
export function messageType<F extends FamilyName>(family: F, name: MessageName<F>): string {
  const fam = findFamily(family);
  if (!fam || !Object.hasOwn(fam.bodies, name)) throw new Error(`unknown message type ${family}/${name}`);
  return `corridor/${fam.family}/${fam.major}.${fam.minor}/${name}`;
}

export interface MessageInfo {
  family: MessageFamily;
  name: string;
  schema: z.ZodType;
  personalData: boolean;
}

/**
 * Finds the body schema for a typ. Any minor of the major we know is accepted: minors only add
 * optional fields, which the schemas strip when they come from a newer minor.
 */
export function lookupMessage(typ: string): Result<MessageInfo, 'Malformed' | 'UnsupportedVersion' | 'UnknownMessageType'> {
  const parsed = parseMessageType(typ);
  if (!parsed) return fail('Malformed');
  const family = findFamily(parsed.family);
  if (!family) return fail('UnknownMessageType');
  if (parsed.major !== family.major) return fail('UnsupportedVersion');
  if (!Object.hasOwn(family.bodies, parsed.name)) return fail('UnknownMessageType');
  const schema = family.bodies[parsed.name];
  const personalData = family.personalData[parsed.name];
  if (schema === undefined || personalData === undefined) return fail('UnknownMessageType');
  return ok({ family, name: parsed.name, schema, personalData });
}

/**
 * Validates a message body against its typ; issue paths start with `body.`. A key the schema
 * does not know is refused (`unrecognized_keys`) unless the typ is a newer minor version than
 * ours, whose added optional fields are dropped.
 */
export function parseBody(
  typ: string,
  body: unknown,
): Result<unknown, 'Malformed' | 'UnsupportedVersion' | 'UnknownMessageType' | 'SchemaViolation'> {
  const found = lookupMessage(typ);
  if (!found.ok) return found;
  const parsed = parseWith(found.value.schema, body, 'body');
  if (!parsed.ok) return parsed;
  const minor = parseMessageType(typ)?.minor ?? 0;
  if (minor <= found.value.family.minor) {
    const unknown = strippedKeys(body, parsed.value, 'body');
    if (unknown.length > 0) return fail('SchemaViolation', unknown);
  }
  return parsed;
}

export interface MessageTypeEntry {
  typ: string;
  family: string;
  name: string;
  personalData: boolean;
}

/** Every current typ with its personal-data flag (docs/protocol.md prints this). */
export const MESSAGE_TYPES: readonly MessageTypeEntry[] = Object.freeze(
  FAMILIES.flatMap((f: MessageFamily) =>
    Object.keys(f.bodies).map((name) => ({
      typ: `corridor/${f.family}/${f.major}.${f.minor}/${name}`,
      family: f.family,
      name,
      personalData: f.personalData[name] === true,
    })),
  ),
);
