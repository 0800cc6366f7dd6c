import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionContext } from '../../cli/actions/context.js';
import { createLocalClient } from '../../cli/client.js';
import { translator, type Lang } from '../../cli/i18n/index.js';
import { type Io, createOutput } from '../../cli/output.js';
import { type RunOptions, run } from '../../cli/run.js';
import { expect } from 'vitest';
import type { DirectoryNetwork } from './directory-network.js';

/**
 * The CLI without a process: captured stdout and stderr, a chosen environment, dates pinned to
 * UTC. `runCli` goes through the same runner as the `corridor` binary.
 */

export interface Captured {
  io: Io;
  stdout(): string;
  stderr(): string;
}

export function captureIo(tty = false): Captured {
  let out = '';
  let err = '';
  return {
    io: { stdout: (s) => void (out += s), stderr: (s) => void (err += s), stdoutIsTTY: tty, stderrIsTTY: tty },
    stdout: () => out,
    stderr: () => err,
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A clean environment: no locale, no colour settings, nothing from the machine running the tests. */
export const CLEAN_ENV: Record<string, string> = { LANG: 'C' };

export async function runCli(args: string[], options: { env?: Record<string, string>; tty?: boolean } & Omit<RunOptions, 'env'> = {}): Promise<CliResult> {
  const captured = captureIo(options.tty ?? false);
  const code = await run(args, captured.io, { env: options.env ?? CLEAN_ENV, timeZone: 'UTC', ...(options.fetch ? { fetch: options.fetch } : {}) });
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

/** An action context against a node's local API, writing into a captured output. */
export function actionContext(baseUrl: string, token: string, options: { lang?: Lang; json?: boolean } = {}): { ctx: ActionContext } & Captured {
  const captured = captureIo(false);
  const lang = options.lang ?? 'en';
  const out = createOutput({ io: captured.io, lang, json: options.json ?? false, color: false, timeZone: 'UTC' });
  return { ctx: { client: createLocalClient({ baseUrl, token }), out, t: translator(lang) }, ...captured };
}

/**
 * The CLI pointed at one node of a test network (`--node`, `--data-dir`), with `--json` parsed
 * and the one-line-error check; `forbidden` is what an error line must never contain.
 */
export function cliOnNetwork(network: () => DirectoryNetwork, forbidden: RegExp) {
  const at = (name: string) => {
    const n = network().net.nodes[name];
    if (!n) throw new Error(name);
    return n;
  };
  // the stewards' and node commands take the machine credential (`--data-dir`, an operator);
  // everything else runs as the node's coordinator, from a token file
  const credential = (name: string, args: string[]) => {
    if (/^(directory (collect|publish)|keys|backup|status)\b/.test(args.slice(0, 2).join(' '))) return ['--data-dir', at(name).dataDir];
    const file = join(at(name).dataDir, 'coordinator-session');
    if (!existsSync(file)) writeFileSync(file, `${at(name).token}\n`, { mode: 0o600 });
    return ['--token-file', file];
  };
  const cli = (name: string, ...args: string[]) => runCli([...args, '--node', at(name).url, ...credential(name, args)]);
  const json = async (name: string, ...args: string[]) => {
    const r = await cli(name, ...args, '--json');
    expect(r.stderr, args.join(' ')).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  };
  /** one line on stderr, the exit code, no stack, nothing forbidden */
  const oneLine = (r: CliResult, exit: number): string => {
    expect(r.code, r.stderr).toBe(exit);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(r.stderr).not.toMatch(forbidden);
    return lines[0] ?? '';
  };
  return { at, cli, json, oneLine };
}
