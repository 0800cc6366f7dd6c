import type { z } from 'zod';

/**
 * A message family: `corridor/<family>/<major>.<minor>/<name>`. Minor versions only add optional
 * fields (a receiver on an older minor ignores what it does not know); a new major is a new
 * family version and an unknown major is refused with `UnsupportedVersion`.
 */
export interface MessageFamily {
  readonly family: string;
  readonly major: number;
  readonly minor: number;
  /** name → zod schema of the `body` of that message */
  readonly bodies: Readonly<Record<string, z.ZodType>>;
  /** name → whether the body may carry personal data (and so must commit to a consent) */
  readonly personalData: Readonly<Record<string, boolean>>;
}

export function defineFamily<const F extends MessageFamily>(family: F): F {
  for (const name of Object.keys(family.bodies)) {
    if (!(name in family.personalData)) throw new Error(`family ${family.family}: ${name} lacks a personalData flag`);
  }
  return family;
}
