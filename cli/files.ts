import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes, toBase64Url } from '../protocol/index.js';
import { FileError } from './errors.js';

/** Files the CLI reads and writes: errors name the file, never its content. */

export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(code === 'ENOENT' || code === 'ENOTDIR' ? 'file.notFound' : 'file.unreadable', file, { cause: error });
  }
}

/** The exact bytes of a file (evidence is checked byte for byte). */
export async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(code === 'ENOENT' || code === 'ENOTDIR' ? 'file.notFound' : 'file.unreadable', file, { cause: error });
  }
}

/** JSON from text; a byte-order mark (spreadsheet exports on Windows) is allowed. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (error) {
    throw new FileError('file.notJson', file, { cause: error });
  }
}

export async function fileSize(file: string): Promise<number | null> {
  try {
    return (await stat(file)).size;
  } catch {
    return null;
  }
}

/** Writes next to the target, then renames over it: the file is whole or untouched. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${toBase64Url(randomBytes(6))}.tmp`);
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new FileError('file.cannotWrite', file, { cause: error });
  }
}
