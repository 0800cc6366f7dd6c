import { chmod, copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ProtocolError, sha256 } from '../../protocol/index.js';
import type { DbHandle } from '../db/client.js';

/**
 * A backup of a running node (`POST /api/v1/admin/backup`, `corridor backup`): a consistent
 * online copy of the database (`VACUUM INTO`: encrypted under the same key, the writer is not
 * stopped; SQLite's backup API refuses encrypted databases), the files of the data directory the
 * node cannot be rebuilt without (the key ring, wrapped only; local token; org key, sealed, if
 * still there; the directory anchor; node.env) and every attachment (sealed), plus
 * `corridor-backup.json`, a manifest with the size and SHA-256 of each file, which `corridor
 * restore` checks before anything is copied. Nothing in it is readable without the passphrase
 * or the recovery key (ADR 0014).
 */

export const MANIFEST_FILE = 'corridor-backup.json';
export const BACKUP_FORMAT = 'corridor-backup/1';
const DB_FILE = 'corridor.db';
const FILES = ['db-key.json', 'local-token', 'org-key', 'directory-anchor.json', 'node.env'] as const;
const ATTACHMENTS = 'attachments';

export interface BackupFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  node: string;
  org: string;
  encrypted: boolean;
  files: BackupFile[];
}

const refuse = (problem: string, message: string) => new ProtocolError('InvalidRequest', message, { issues: [{ path: 'path', problem }] });

/** The target: absolute, outside the data directory, and empty or not there yet. */
async function prepareTarget(target: string, dataDir: string): Promise<void> {
  if (!isAbsolute(target)) throw refuse('not_absolute', 'the backup folder must be an absolute path');
  const inside = relative(resolve(dataDir), resolve(target));
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) throw refuse('inside_data_dir', 'the backup folder must be outside the data directory');
  let entries: string[] | null = null;
  try {
    const s = await stat(target);
    if (!s.isDirectory()) throw refuse('not_a_folder', 'the backup path is not a folder');
    entries = await readdir(target);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw refuse('unreadable', 'the backup folder cannot be read');
  }
  if (entries !== null && entries.length > 0) throw refuse('not_empty', 'the backup folder is not empty');
  try {
    await mkdir(target, { recursive: true, mode: 0o700 });
    await chmod(target, 0o700);
  } catch {
    throw refuse('cannot_create', 'the backup folder cannot be created');
  }
}

async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const content = await readFile(path);
  return { bytes: content.length, sha256: Buffer.from(sha256(content)).toString('hex') };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Every file under `dir`, as paths relative to `root` with forward slashes. */
async function filesUnder(root: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await filesUnder(root, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

export async function backupDataDir(input: { handle: DbHandle; dataDir: string; target: string; node: string; org: string; now: number }): Promise<BackupManifest> {
  const { handle, dataDir, target } = input;
  await prepareTarget(target, dataDir);
  try {
    const copied: string[] = [];
    await handle.backup(join(target, DB_FILE));
    copied.push(DB_FILE);
    for (const name of FILES) {
      if (!(await exists(join(dataDir, name)))) continue;
      await copyFile(join(dataDir, name), join(target, name));
      copied.push(name);
    }
    if (await exists(join(dataDir, ATTACHMENTS))) {
      for (const rel of await filesUnder(dataDir, ATTACHMENTS)) {
        await mkdir(join(target, ...rel.split('/').slice(0, -1)), { recursive: true, mode: 0o700 });
        await copyFile(join(dataDir, ...rel.split('/')), join(target, ...rel.split('/')));
        copied.push(rel);
      }
    }
    const files: BackupFile[] = [];
    for (const path of copied) {
      const full = join(target, ...path.split('/'));
      await chmod(full, 0o600);
      files.push({ path, ...(await hashFile(full)) });
    }
    const manifest: BackupManifest = { format: BACKUP_FORMAT, createdAt: new Date(input.now).toISOString(), node: input.node, org: input.org, encrypted: handle.encrypted, files };
    await writeFile(join(target, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return manifest;
  } catch (error) {
    // nothing half-written: a failed backup leaves the folder empty again
    for (const entry of await readdir(target).catch(() => [] as string[])) await rm(join(target, entry), { recursive: true, force: true });
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError('InvalidRequest', `the backup could not be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      issues: [{ path: 'path', problem: 'cannot_write' }],
    });
  }
}
