import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { operatorApi } from '../api/operator.js';
import { EXIT } from '../errors.js';
import { Refusal, sha256File } from '../operator.js';
import type { ActionContext } from './context.js';

/**
 * `corridor backup --out D`, while the node runs: the node writes a consistent copy of its
 * database and data directory files into D with a manifest (POST /api/v1/admin/backup); then
 * every file is read back here and checked against the manifest, with progress on a terminal.
 * The database stays encrypted under its key (`VACUUM INTO`), the key ring goes along wrapped
 * only (ADR 0014): restoring needs the passphrase or the recovery key.
 */
/** The target must be empty or new: checked here first, before the node is asked (which checks again). */
export async function checkBackupTarget(dir: string): Promise<void> {
  const there = await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : null));
  if (there === null) throw new Refusal('backup.notAFolder', { dir });
  if (there.length > 0) throw new Refusal('backup.notEmpty', { dir });
}

export async function backup({ client, out, t }: ActionContext, args: { out: string }): Promise<number> {
  await checkBackupTarget(args.out);
  out.progress(t('backup.copying'));
  const manifest = await operatorApi.backup(client, args.out);
  // read back what the node wrote: a backup is only as good as the check that it is whole
  let verified = true;
  let total = 0;
  for (const [i, f] of manifest.files.entries()) {
    out.progress(t('backup.checking', { n: i + 1, total: manifest.files.length, file: f.path }));
    const got = await sha256File(join(args.out, ...f.path.split('/'))).catch(() => null);
    if (got === null) verified = false; // a node on another machine: its folder is not here
    else if (got.bytes !== f.bytes || got.sha256 !== f.sha256) {
      out.progressDone();
      throw new Refusal('backup.checkFailed', { file: f.path });
    }
    total += f.bytes;
  }
  out.progressDone();
  if (out.json) {
    out.data({ path: args.out, files: manifest.files.length, bytes: total, verified, encrypted: manifest.encrypted, manifest: join(args.out, 'corridor-backup.json') });
    return EXIT.ok;
  }
  out.line(out.style('ok', t('backup.done', { dir: args.out, count: manifest.files.length, size: out.bytes(total) })));
  if (!verified) out.line(out.style('warn', t('backup.notChecked')));
  if (manifest.encrypted) out.line(t('backup.encrypted'));
  out.line(t('backup.restoreHint', { dir: args.out }));
  return EXIT.ok;
}
