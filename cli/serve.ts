import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Env } from './config.js';
import { Refusal } from './operator.js';

/**
 * `corridor serve`: runs `node dist/node/main.js` (the compiled node, as cli/demo/processes.ts
 * does for the demo) with the data directory's node.env, its output straight on this terminal.
 * The node runs in its own process group, so a Ctrl-C reaches it once, through here: SIGINT and
 * SIGTERM are forwarded and the node closes cleanly; this process exits with the node's code.
 * The passphrase (already checked against the key ring here) goes to the node on its stdin,
 * a pipe closed at once: never in its arguments or environment.
 */

const NODE_MAIN = fileURLToPath(new URL('../node/main.js', import.meta.url));

/** Variables of the machine the node may need besides its own settings (nothing else leaks in). */
const PASS_THROUGH = ['PATH', 'HOME', 'TZ', 'TMPDIR', 'SystemRoot'] as const;

export interface ServeInput {
  dataDir: string;
  settings: Record<string, string>;
  env: Env;
  /** the passphrase for the node's key ring; none when node.env names a key file */
  passphrase: string | null;
}

export function serveNode(input: ServeInput): Promise<number> {
  if (!existsSync(NODE_MAIN)) throw new Refusal('serve.notBuilt', { file: NODE_MAIN });
  const env: Record<string, string> = {};
  for (const name of PASS_THROUGH) {
    const value = input.env[name];
    if (value !== undefined) env[name] = value;
  }
  // the folder the operator named wins over the one written in node.env (a moved or restored copy)
  Object.assign(env, input.settings, { CORRIDOR_DATA_DIR: input.dataDir });
  const child = spawn(process.execPath, [NODE_MAIN], { env, stdio: [input.passphrase === null ? 'inherit' : 'pipe', 'inherit', 'inherit'], detached: true });
  if (input.passphrase !== null) child.stdin?.end(`${input.passphrase}\n`);
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  const onExit = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('exit', onExit);
  return new Promise((resolve, reject) => {
    const done = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('exit', onExit);
    };
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
