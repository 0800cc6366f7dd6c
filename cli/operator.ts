import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sha256 } from '../protocol/index.js';
import type { Env } from './config.js';
import { EXIT, FileError, UsageError } from './errors.js';
import type { MessageId, Params } from './i18n/index.js';
import type { CliApp } from './commands/shared.js';

/**
 * What the operator commands (init, serve, status, keys, backup, restore, anchor) share: the
 * data directory, its `node.env` (the node's CORRIDOR_* settings, written by `corridor init`,
 * read by `corridor serve`, in the KEY=value form systemd's EnvironmentFile= also reads), the
 * node's local address derived from it, and a refusal: one clear line, exit 1.
 */

export const NODE_ENV_FILE = 'node.env';
export const ORG_KEY_FILE = 'org-key';
export const ANCHOR_FILE = 'directory-anchor.json';

/** The command declines to go on (nothing was changed): one localised line, exit 1. */
export class Refusal extends Error {
  override name = 'Refusal' as const;
  constructor(
    readonly id: MessageId,
    readonly params: Params = {},
  ) {
    super(id);
  }
}

/** Runs an operator action; a refusal becomes its line on stderr (and a JSON body with --json). */
export async function refusing(app: CliApp, json: boolean, action: () => Promise<number>): Promise<void> {
  try {
    app.exitCode = await action();
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const line = app.t(error.id, error.params);
    if (json) app.io.stdout(`${JSON.stringify({ error: { code: 'Rejected', message: line } }, null, 2)}\n`);
    app.io.stderr(`${line}\n`);
    app.exitCode = EXIT.failed;
  }
}

const set = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);

/** `--data-dir`, then CORRIDOR_DATA_DIR, as an absolute path; a usage error when neither is given. */
export function dataDirOf(flag: string | undefined, env: Env, option = '--data-dir'): string {
  const value = set(flag) ?? set(env.CORRIDOR_DATA_DIR);
  if (value === undefined) throw new UsageError('operator.needDataDir', { option });
  if (value.length > 4096 || value.includes('\0')) throw new UsageError('usage.badPath', { option });
  return resolve(value);
}

/** A required path option (`--out`, `--from`): absolute. */
export function pathOption(value: string | undefined, option: string): string {
  if (set(value) === undefined) throw new UsageError('usage.missingValue', { option });
  if ((value ?? '').length > 4096 || (value ?? '').includes('\0')) throw new UsageError('usage.badPath', { option });
  return resolve(value ?? '');
}

export function formatNodeEnv(settings: Record<string, string>, header: string[]): string {
  const lines = [...header.map((h) => `# ${h}`), ...Object.entries(settings).map(([k, v]) => `${k}=${v}`)];
  return `${lines.join('\n')}\n`;
}

/** KEY=value lines; `#` comments and blank lines skipped; only CORRIDOR_* keys are kept. */
export function parseNodeEnv(text: string): { settings: Record<string, string>; badLine: number | null } {
  const settings: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Z][A-Z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) return { settings, badLine: i + 1 };
    const [, key = '', raw = ''] = m;
    const value = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
    if (key.startsWith('CORRIDOR_')) settings[key] = value;
  }
  return { settings, badLine: null };
}

/** The node.env of a data directory; null when there is none. */
export async function readNodeEnv(dataDir: string): Promise<Record<string, string> | null> {
  const file = join(dataDir, NODE_ENV_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new FileError('file.unreadable', file, { cause: error });
  }
  const { settings, badLine } = parseNodeEnv(text);
  if (badLine !== null) throw new Refusal('operator.badNodeEnv', { file, line: badLine });
  return settings;
}

/** Where the node of these settings answers on this machine; null when its port is chosen at start (0). */
export function localUrlOf(settings: Record<string, string>): string | null {
  const port = Number(settings.CORRIDOR_PORT ?? '4000');
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) return null;
  const host = settings.CORRIDOR_HOST ?? '127.0.0.1';
  const local = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${local.includes(':') ? `[${local}]` : local}:${port}`;
}

/** Does a Corridor node answer at this address? (Any HTTP answer from its descriptor counts.) */
export async function nodeAnswers(url: string, fetchImpl: typeof fetch = fetch): Promise<boolean> {
  try {
    const res = await fetchImpl(`${url}/.well-known/corridor`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/**
 * The node to talk to: `--node` / CORRIDOR_URL when given, else the address in the data
 * directory's node.env (so `corridor status --data-dir D` finds a node set up with init).
 */
export async function nodeFlagFor(flag: string | undefined, dataDirFlag: string | undefined, env: Env): Promise<string | undefined> {
  if (set(flag) !== undefined || set(env.CORRIDOR_URL) !== undefined) return flag;
  const dir = set(dataDirFlag) ?? set(env.CORRIDOR_DATA_DIR);
  if (dir === undefined) return flag;
  const settings = await readNodeEnv(resolve(dir)).catch(() => null);
  return (settings && localUrlOf(settings)) ?? flag;
}

export async function sha256File(path: string): Promise<{ bytes: number; sha256: string; content: Buffer }> {
  const content = await readFile(path);
  return { bytes: content.length, sha256: Buffer.from(sha256(content)).toString('hex'), content };
}
