import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { OrgId, OrgProfile, toFieldIssues } from '../../protocol/index.js';

/**
 * The seed directory of the route (data/seed-directory.json): the organisations the ICMPD report
 * names, with their public roles, in the Corridor profile. Everything invented for the demo is
 * marked `corridor.demo`. The demo signs an entry for each; tests index them directly.
 *
 * The file sits at the repository root (`data/`); the build copies it to `dist/data/`, which is
 * the same `../../data/` relative to this module in both layouts.
 */

export const SeedOrganisation = z.strictObject({ org: OrgId, listedBy: OrgId.optional(), profile: OrgProfile });
export type SeedOrganisation = z.infer<typeof SeedOrganisation>;

export const SeedDirectory = z.strictObject({
  format: z.literal('corridor-seed-directory/1'),
  note: z.string().optional(),
  organizations: z.array(SeedOrganisation).min(1).max(10_000),
});
export type SeedDirectory = z.infer<typeof SeedDirectory>;

export const SEED_DIRECTORY_URL = new URL('../../data/seed-directory.json', import.meta.url);

export class SeedDirectoryError extends Error {
  override name = 'SeedDirectoryError';
}

/** Reads and validates a seed directory; a bad file throws with the paths of what is wrong. */
export function loadSeedDirectory(url: URL | string = SEED_DIRECTORY_URL): SeedOrganisation[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(url, 'utf8'));
  } catch {
    throw new SeedDirectoryError(`cannot read the seed directory at ${String(url)}`);
  }
  const parsed = SeedDirectory.safeParse(json);
  if (!parsed.success) {
    const paths = toFieldIssues(parsed.error.issues).map((i) => `${i.path} (${i.problem})`);
    throw new SeedDirectoryError(`invalid seed directory: ${paths.join(', ')}`);
  }
  const seen = new Set<string>();
  for (const o of parsed.data.organizations) {
    if (seen.has(o.org)) throw new SeedDirectoryError(`invalid seed directory: ${o.org} appears twice`);
    seen.add(o.org);
  }
  return parsed.data.organizations;
}
