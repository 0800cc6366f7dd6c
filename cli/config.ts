import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { FileError, UsageError } from './errors.js';
import { LANGS, type Lang, isLang, langFromLocale } from './i18n/index.js';

/**
 * The CLI's settings: flags, then `CORRIDOR_*` variables, then defaults, checked with zod.
 * The only file in cli/ that reads process.env; everything else takes an `Env` argument.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export function processEnv(): Env {
  return process.env;
}

export const DEFAULT_NODE_URL = 'http://127.0.0.1:4000';

export interface ConnectionFlags {
  node?: string | undefined;
  dataDir?: string | undefined;
  tokenFile?: string | undefined;
}

export interface Connection {
  nodeUrl: string;
  /** the file holding the local API token */
  tokenFile: string;
}

const NodeUrl = z.url({ protocol: /^https?$/ });
const PathValue = z.string().trim().min(1).max(4096);

const set = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** Which node, and where its token is: `--node` / `CORRIDOR_URL`, `--token-file` / `--data-dir`. */
export function loadConnection(flags: ConnectionFlags, env: Env): Connection {
  const [nodeUrl, nodeOption] = pick(flags.node, '--node', env.CORRIDOR_URL, 'CORRIDOR_URL');
  const url = NodeUrl.safeParse(nodeUrl ?? DEFAULT_NODE_URL);
  if (!url.success) throw new UsageError('usage.badNode', { option: nodeOption });

  const sources = [
    [flags.tokenFile, '--token-file', 'file'],
    [flags.dataDir, '--data-dir', 'dir'],
    [env.CORRIDOR_TOKEN_FILE, 'CORRIDOR_TOKEN_FILE', 'file'],
    [env.CORRIDOR_DATA_DIR, 'CORRIDOR_DATA_DIR', 'dir'],
  ] as const;
  const found = sources.find(([value]) => set(value) !== undefined);
  if (!found) throw new UsageError('config.noToken');
  const [value, option, kind] = found;
  const path = PathValue.safeParse(value);
  if (!path.success) throw new UsageError('usage.badPath', { option });
  const tokenFile = kind === 'dir' ? join(path.data, 'local-token') : path.data;
  return { nodeUrl: url.data.replace(/\/+$/, ''), tokenFile: resolve(tokenFile) };
}

function pick(flag: string | undefined, flagName: string, variable: string | undefined, variableName: string): [string | undefined, string] {
  if (set(flag) !== undefined) return [flag, flagName];
  if (set(variable) !== undefined) return [variable, variableName];
  return [undefined, flagName];
}

/** Reads the local token; the file is named in the error, its content never. */
export function readToken(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(code === 'ENOENT' || code === 'ENOTDIR' ? 'config.tokenMissing' : 'config.tokenUnreadable', file, { cause: error });
  }
  const token = text.trim();
  if (token.length === 0 || /\s/.test(token)) throw new FileError('config.tokenUnreadable', file);
  return token;
}

/**
 * The language: `--lang`, then `CORRIDOR_LANG`, then the locale (LC_ALL, LC_MESSAGES, LANG, as
 * POSIX orders them), then English. An unknown `--lang` is a usage error; an unknown locale
 * quietly falls back to English.
 */
export function resolveLang(flag: string | undefined, env: Env): Lang {
  const explicit = set(flag) ?? set(env.CORRIDOR_LANG);
  if (explicit !== undefined) {
    const code = explicit.toLowerCase();
    if (!isLang(code)) throw new UsageError('usage.badLang', { value: explicit.slice(0, 20), available: LANGS.join(', ') });
    return code;
  }
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const value = set(env[name]);
    if (value !== undefined) return langFromLocale(value) ?? 'en';
  }
  return 'en';
}

/** Colours only where a person reads them: the caller checks the TTY, this checks NO_COLOR and TERM. */
export function colourAllowed(env: Env): boolean {
  return set(env.NO_COLOR) === undefined && env.TERM !== 'dumb';
}
