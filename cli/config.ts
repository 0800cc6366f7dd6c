import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sha256, toBase64Url } from '../protocol/index.js';
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
  /** the file holding the token: a person's session (`corridor login`) or the machine credential */
  tokenFile: string;
}

/**
 * Where `corridor login` keeps a person's session token for a node: one 0600 file per node URL in
 * `CORRIDOR_SESSION_DIR`, else `$XDG_STATE_HOME/corridor/sessions`, else
 * `~/.local/state/corridor/sessions`; null when none of them is set.
 */
export function sessionFile(nodeUrl: string, env: Env): string | null {
  const dir = set(env.CORRIDOR_SESSION_DIR) ?? (set(env.XDG_STATE_HOME) ? join(env.XDG_STATE_HOME!, 'corridor', 'sessions') : set(env.HOME) ? join(env.HOME!, '.local', 'state', 'corridor', 'sessions') : undefined);
  if (dir === undefined) return null;
  return resolve(dir, toBase64Url(sha256(new TextEncoder().encode(nodeUrl))).slice(0, 22));
}

/** The node URL alone (`--node`, `CORRIDOR_URL`, the default), for `corridor login`. */
export function loadNodeUrl(flag: string | undefined, env: Env): string {
  const [nodeUrl, nodeOption] = pick(flag, '--node', env.CORRIDOR_URL, 'CORRIDOR_URL');
  const url = NodeUrl.safeParse(nodeUrl ?? DEFAULT_NODE_URL);
  if (!url.success) throw new UsageError('usage.badNode', { option: nodeOption });
  return url.data.replace(/\/+$/, '');
}

const NodeUrl = z.url({ protocol: /^https?$/ });
const PathValue = z.string().trim().min(1).max(4096);

const set = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/**
 * Which node, and where its token is: `--node` / `CORRIDOR_URL`; then `--token-file`, `--data-dir`
 * (the node's machine credential, for the operator's scripts), the session `corridor login` kept
 * for that node, `CORRIDOR_TOKEN_FILE`, `CORRIDOR_DATA_DIR`.
 */
export function loadConnection(flags: ConnectionFlags, env: Env): Connection {
  const nodeUrl = loadNodeUrl(flags.node, env);
  const session = sessionFile(nodeUrl, env);
  const signedIn = session !== null && existsSync(session) ? session : undefined;

  const sources = [
    [flags.tokenFile, '--token-file', 'file'],
    [flags.dataDir, '--data-dir', 'dir'],
    [signedIn, '--token-file', 'file'],
    [env.CORRIDOR_TOKEN_FILE, 'CORRIDOR_TOKEN_FILE', 'file'],
    [env.CORRIDOR_DATA_DIR, 'CORRIDOR_DATA_DIR', 'dir'],
  ] as const;
  const found = sources.find(([value]) => set(value) !== undefined);
  if (!found) throw new UsageError('config.noToken');
  const [value, option, kind] = found;
  const path = PathValue.safeParse(value);
  if (!path.success) throw new UsageError('usage.badPath', { option });
  const tokenFile = kind === 'dir' ? join(path.data, 'local-token') : path.data;
  return { nodeUrl, tokenFile: resolve(tokenFile) };
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
