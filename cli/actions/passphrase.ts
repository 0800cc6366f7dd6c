import { join } from 'node:path';
import { withNewPassphrase } from '../../protocol/index.js';
import { EXIT } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import { KEY_RING_FILE, type Unlock, readKeyRingFile, unlockRing, writeKeyRingFile } from '../key-ring.js';
import type { Output } from '../output.js';

/**
 * `corridor keys passphrase --data-dir D`: unlock the key ring with the current passphrase (or
 * the recovery key), wrap the same database key under the new passphrase, and replace the ring
 * in one rename. The database is not touched (no re-encryption; ADR 0014); the node may run.
 * A wrong current passphrase: one line, and the ring is unchanged.
 */
export async function changePassphrase(out: Output, t: Translate, args: { dataDir: string; current: () => Promise<Unlock>; next: () => Promise<string> }): Promise<number> {
  const ring = await readKeyRingFile(join(args.dataDir, KEY_RING_FILE));
  const databaseKey = await unlockRing(ring, await args.current());
  const passphrase = await args.next();
  await writeKeyRingFile(args.dataDir, await withNewPassphrase(ring, databaseKey, passphrase), { replace: true });
  if (out.json) out.data({ dataDir: args.dataDir, changed: true, keyRing: join(args.dataDir, KEY_RING_FILE) });
  else out.line(out.style('ok', t('keys.passphraseChanged', { dir: args.dataDir })));
  return EXIT.ok;
}
