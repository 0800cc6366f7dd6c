import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { StewardSet, parseJson, parseWith } from '../../protocol/index.js';
import type { DirectoryAnchor } from './store.js';

/**
 * The directory's trust anchor: the network's name and its stewards' keys and threshold, as the
 * network publishes them (compared by fingerprint when an organisation joins). It sits in the
 * data directory as `directory-anchor.json`; without it the node accepts no directory version.
 * Once a version is held, that version's stewards are trusted for the next one.
 */

export const ANCHOR_FILE = 'directory-anchor.json';
const Anchor = z.strictObject({ network: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), stewards: StewardSet });

export function readAnchor(dataDir: string): DirectoryAnchor | null {
  const path = join(dataDir, ANCHOR_FILE);
  if (!existsSync(path)) return null;
  const json = parseJson(readFileSync(path, 'utf8'));
  const parsed = json.ok ? parseWith(Anchor, json.value) : null;
  if (!parsed?.ok) {
    const where = parsed?.issues?.map((i) => i.path).join(', ') ?? 'not JSON';
    throw new Error(`the directory anchor ${ANCHOR_FILE} in the data directory is damaged (${where})`);
  }
  return parsed.value;
}

export function writeAnchor(dataDir: string, anchor: DirectoryAnchor): void {
  writeFileSync(join(dataDir, ANCHOR_FILE), `${JSON.stringify(Anchor.parse(anchor), null, 2)}\n`, { mode: 0o644 });
}
