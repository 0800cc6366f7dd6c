import { chmod, copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StewardSet, fingerprint, fromBase64Url } from '../../protocol/index.js';
import { EXIT } from '../errors.js';
import { parseJsonText, readText } from '../files.js';
import type { Translate } from '../i18n/index.js';
import { ANCHOR_FILE, Refusal } from '../operator.js';
import type { Output } from '../output.js';

/**
 * `corridor anchor <file> --data-dir D [--trust]`: the network's `directory-anchor.json` from
 * the stewards. Without `--trust` it only shows the network, the threshold and each steward's
 * fingerprint, to compare aloud with the stewards; with `--trust` it also puts the file into the
 * data directory, where the node reads it at its next start. An anchor already there is kept.
 */

const Anchor = z.strictObject({ network: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), stewards: StewardSet });

export async function anchor(out: Output, t: Translate, args: { file: string; dataDir: string; trust: boolean }): Promise<number> {
  const parsed = Anchor.safeParse(parseJsonText(await readText(args.file), args.file));
  if (!parsed.success) throw new Refusal('anchor.bad', { file: args.file, fields: [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(root)'))].slice(0, 5).join(', ') });
  const { network, stewards } = parsed.data;
  const keys = stewards.keys.map((k) => ({ kid: k.kid, fingerprint: fingerprint(fromBase64Url(k.publicKey) ?? new Uint8Array()) }));
  const target = join(args.dataDir, ANCHOR_FILE);
  let installed = false;
  if (args.trust) {
    const there = await stat(target).then(() => true, () => false);
    if (there) {
      const same = (await readFile(target, 'utf8')) === (await readFile(args.file, 'utf8'));
      if (!same) throw new Refusal('anchor.exists', { file: target });
    } else {
      try {
        await stat(args.dataDir);
      } catch {
        throw new Refusal('operator.noDataDir', { dir: args.dataDir });
      }
      await copyFile(args.file, target);
      await chmod(target, 0o644);
    }
    installed = true;
  }
  if (out.json) {
    out.data({ network, threshold: stewards.threshold, stewards: keys, installed, file: installed ? target : null });
    return EXIT.ok;
  }
  out.line(out.style('strong', t('anchor.heading', { network, threshold: stewards.threshold, count: keys.length })));
  for (const k of keys) out.line(`  ${k.kid}  ${out.style('strong', k.fingerprint)}`);
  if (installed) out.line(out.style('ok', t('anchor.installed', { file: target })));
  else out.line(t('anchor.compare'));
  return EXIT.ok;
}
