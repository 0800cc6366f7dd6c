import { chmod, mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseKeyRing, randomBytes, toBase64Url } from '../../protocol/index.js';
import { KEY_RING_FILE, type Unlock, unlockRing } from '../key-ring.js';
import { BackupManifest, MANIFEST_FILE } from '../api/operator.js';
import { EXIT, FileError } from '../errors.js';
import { parseJsonText, readText } from '../files.js';
import type { Translate } from '../i18n/index.js';
import { NODE_ENV_FILE, Refusal, formatNodeEnv, localUrlOf, nodeAnswers, parseNodeEnv, readNodeEnv, sha256File } from '../operator.js';
import type { Output } from '../output.js';

/**
 * `corridor restore --from B --data-dir D`, with the node stopped: refuses when a node answers
 * for D (or for the backup's own settings: one identity must not run twice) or when D is not
 * empty; reads every file of the backup and checks its size and SHA-256 against the manifest
 * while copying it into a temporary folder next to D; only when all are whole is that folder
 * renamed to D. A tampered or damaged backup changes nothing. node.env is pointed at D.
 * Before anything is copied, the backup's key ring must open with the passphrase or the
 * recovery key (ADR 0014): a wrong one is one line and nothing is written.
 */

export async function restore(out: Output, t: Translate, args: { from: string; dataDir: string; fetch?: typeof fetch | undefined; unlock: () => Promise<Unlock> }): Promise<number> {
  const manifestFile = join(args.from, MANIFEST_FILE);
  const parsed = BackupManifest.safeParse(parseJsonText(await readText(manifestFile), manifestFile));
  if (!parsed.success) throw new Refusal('restore.badManifest', { file: manifestFile });
  const manifest = parsed.data;

  // a node running on the target, or the node this backup came from, still running
  const targetEnv = await readNodeEnv(args.dataDir).catch(() => null);
  const targetUrl = targetEnv && localUrlOf(targetEnv);
  if (targetUrl && (await nodeAnswers(targetUrl, args.fetch))) throw new Refusal('restore.nodeRunning', { url: targetUrl, dir: args.dataDir });
  const existing = await readdir(args.dataDir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : null));
  if (existing === null) throw new Refusal('restore.notAFolder', { dir: args.dataDir });
  if (existing.length > 0) throw new Refusal('restore.notEmpty', { dir: args.dataDir });
  const backupEnv = manifest.files.some((f) => f.path === NODE_ENV_FILE) ? await readNodeEnv(args.from).catch(() => null) : null;
  const backupUrl = backupEnv && localUrlOf(backupEnv);
  if (backupUrl && (await nodeAnswers(backupUrl, args.fetch))) throw new Refusal('restore.originalRunning', { url: backupUrl });

  // the key ring first: whole (its checksum), and opened by what the operator gave
  const ringEntry = manifest.files.find((f) => f.path === KEY_RING_FILE);
  if (!manifest.encrypted || ringEntry === undefined) throw new Refusal('restore.noKeyRing', { file: join(args.from, KEY_RING_FILE) });
  const ringFile = await sha256File(join(args.from, KEY_RING_FILE)).catch(() => null);
  if (ringFile === null) throw new Refusal('restore.missingFile', { file: KEY_RING_FILE });
  if (ringFile.bytes !== ringEntry.bytes || ringFile.sha256 !== ringEntry.sha256) throw new Refusal('restore.tampered', { file: KEY_RING_FILE });
  await unlockRing(parseKeyRing(ringFile.content.toString('utf8')), await args.unlock());

  const temp = join(dirname(args.dataDir), `.${basename(args.dataDir)}.restore-${toBase64Url(randomBytes(6))}`);
  let total = 0;
  try {
    await mkdir(dirname(args.dataDir), { recursive: true, mode: 0o700 });
    await mkdir(temp, { recursive: false, mode: 0o700 });
    for (const [i, f] of manifest.files.entries()) {
      out.progress(t('restore.checking', { n: i + 1, total: manifest.files.length, file: f.path }));
      const parts = f.path.split('/');
      const got = await sha256File(join(args.from, ...parts)).catch(() => null);
      if (got === null) throw new Refusal('restore.missingFile', { file: f.path });
      if (got.bytes !== f.bytes || got.sha256 !== f.sha256) throw new Refusal('restore.tampered', { file: f.path });
      let content: Buffer | string = got.content;
      if (f.path === NODE_ENV_FILE) content = repointed(got.content.toString('utf8'), args.dataDir);
      if (parts.length > 1) await mkdir(join(temp, ...parts.slice(0, -1)), { recursive: true, mode: 0o700 });
      await writeFile(join(temp, ...parts), content, { mode: 0o600, flag: 'wx' });
      await chmod(join(temp, ...parts), 0o600);
      total += f.bytes;
    }
    out.progressDone();
    // the whole data directory appears at once, or not at all
    await rmdir(args.dataDir).catch(() => undefined);
    await rename(temp, args.dataDir);
  } catch (error) {
    out.progressDone();
    await rm(temp, { recursive: true, force: true });
    if (error instanceof Refusal) throw error;
    throw new FileError('file.cannotWrite', args.dataDir, { cause: error });
  }
  if (out.json) {
    out.data({ dataDir: args.dataDir, from: args.from, node: manifest.node, org: manifest.org, files: manifest.files.length, bytes: total, backupCreatedAt: manifest.createdAt });
    return EXIT.ok;
  }
  out.line(out.style('ok', t('restore.done', { count: manifest.files.length, size: out.bytes(total), from: args.from, dir: args.dataDir })));
  out.line(t('restore.next', { dir: args.dataDir }));
  out.line(out.style('warn', t('restore.once')));
  return EXIT.ok;
}

/** node.env with CORRIDOR_DATA_DIR set to where it now lives; every other setting as it was. */
function repointed(text: string, dataDir: string): string {
  const { settings, badLine } = parseNodeEnv(text);
  if (badLine !== null) return text;
  const comments = text.split(/\r?\n/).filter((l) => l.trim().startsWith('#')).map((l) => l.trim().replace(/^#\s?/, ''));
  return formatNodeEnv({ ...settings, CORRIDOR_DATA_DIR: dataDir }, comments);
}
