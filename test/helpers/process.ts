import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orgKeyIn, prepareKeyFile } from './node-db.js';

/**
 * A real node process (`node dist/node/main.js`, the compiled production entry) with its own data
 * directory. The first start picks a free port; a restart reuses it, so peers keep its URL.
 * Only processes started here are ever signalled, by their own pid.
 */

// from test/helpers/ (vitest) or from dist/test/helpers/ (the compiled benchmark)
const MAIN = fileURLToPath(new URL(import.meta.url.includes('/dist/test/') ? '../../node/main.js' : '../../dist/node/main.js', import.meta.url));

export interface NodeProcess {
  readonly name: string;
  readonly id: string;
  readonly dataDir: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** the local API token and the org public key, read from the data directory */
  token(): string;
  orgPublicKey(): Uint8Array;
  /** local API call */
  local(path: string, init?: RequestInit): Promise<Response>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

/** `main`: another entry than dist/node/main.js (the benchmark's plaintext baseline, test/bench/plain-node.ts) */
export async function startNodeProcess(name: string, dataDir: string, env: Record<string, string> = {}, main = MAIN): Promise<NodeProcess> {
  // encrypted like production: a key ring in the data directory, its key file next to it (node-db.ts)
  const keyFile = await prepareKeyFile(dataDir);
  const start = async (port: number) => {
    const child = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH ?? '',
        CORRIDOR_NODE_ID: `node:${name}`,
        CORRIDOR_ORG_ID: `org:${name}`,
        CORRIDOR_DATA_DIR: dataDir,
        CORRIDOR_HOST: '127.0.0.1',
        CORRIDOR_PORT: String(port),
        CORRIDOR_WEB_PORT: '0',
        CORRIDOR_LOG_LEVEL: 'warn',
        CORRIDOR_OUTBOX_POLL_MS: '200',
        CORRIDOR_RETRY_BASE_SECONDS: '1',
        CORRIDOR_RETRY_CAP_SECONDS: '2',
        CORRIDOR_KEY_FILE: keyFile,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`node ${name} did not start: ${stderr}`)), 20_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.includes('"listening"'));
        if (line) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { listening: string }).listening);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`node ${name} exited with ${code}: ${stderr}`));
      });
    });
    return { child, url };
  };

  const first = await start(0);
  const proc: NodeProcess = {
    name,
    id: `node:${name}`,
    dataDir,
    url: first.url,
    port: Number(new URL(first.url).port),
    child: first.child,
    token: () => readFileSync(join(dataDir, 'local-token'), 'utf8').trim(),
    orgPublicKey: () => orgKeyIn(dataDir).publicKey,
    local: (path, init = {}) =>
      fetch(`${proc.url}${path}`, { ...init, headers: { authorization: `Bearer ${proc.token()}`, 'content-type': 'application/json', ...(init.headers ?? {}) } }),
    async kill(signal = 'SIGKILL') {
      const child = proc.child;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      await exited;
    },
    async restart() {
      await proc.kill('SIGKILL');
      const again = await start(proc.port);
      proc.child = again.child;
      proc.url = again.url;
    },
  };
  return proc;
}

/** Every process admits every other (descriptor + org public key), through the local API. */
export async function connectProcesses(procs: NodeProcess[]): Promise<void> {
  for (const a of procs) {
    const descriptor = await (await fetch(`${a.url}/.well-known/corridor`)).json();
    const orgPublicKey = Buffer.from(a.orgPublicKey()).toString('base64url');
    for (const b of procs) {
      if (a === b) continue;
      const res = await b.local('/api/v1/peers', { method: 'PUT', body: JSON.stringify({ descriptor, orgPublicKey }) });
      if (res.status !== 200) throw new Error(`admitting ${a.name} at ${b.name}: ${res.status} ${await res.text()}`);
    }
  }
}
