import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Real node processes for the demo: `node dist/node/main.js` with its own data directory and
 * CORRIDOR_* variables, as an organisation would run it. The first start lets the OS pick a
 * port; a restart reuses it so partners keep the address. Only processes started here are ever
 * signalled, by their own pid.
 */

const NODE_MAIN = fileURLToPath(new URL('../../node/main.js', import.meta.url));

export interface DemoNode {
  readonly name: string;
  readonly node: string;
  readonly org: string;
  readonly dataDir: string;
  url: string;
  child: ChildProcess | null;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export function demoNode(name: string, dataDir: string, extraEnv: Record<string, string> = {}): DemoNode {
  let port = 0;
  const self: DemoNode = {
    name,
    node: `node:${name}`,
    org: `org:${name}`,
    dataDir,
    url: '',
    child: null,
    async start() {
      const child = spawn(process.execPath, [NODE_MAIN], {
        env: {
          PATH: process.env.PATH ?? '',
          CORRIDOR_NODE_ID: self.node,
          CORRIDOR_ORG_ID: self.org,
          CORRIDOR_DATA_DIR: dataDir,
          CORRIDOR_HOST: '127.0.0.1',
          CORRIDOR_PORT: String(port),
          CORRIDOR_WEB_PORT: '0',
          CORRIDOR_LOG_LEVEL: 'error',
          CORRIDOR_OUTBOX_POLL_MS: '200',
          CORRIDOR_RETRY_BASE_SECONDS: '1',
          CORRIDOR_RETRY_CAP_SECONDS: '3',
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      self.child = child;
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-2000);
      });
      self.url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`the ${name} node did not start in time: ${stderr.trim()}`)), 30_000);
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
          reject(new Error(`the ${name} node stopped (${String(code)}): ${stderr.trim()}`));
        });
      });
      port = Number(new URL(self.url).port);
    },
    async stop() {
      const child = self.child;
      self.child = null;
      if (!child || child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
  return self;
}
