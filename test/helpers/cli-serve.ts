import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface Served {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/**
 * `corridor serve --data-dir D --passphrase-file F` as an operator types it (the real binary in a
 * subprocess); resolves once the node listens, rejects with its stderr if it exits first.
 */
export function serveCli(dataDir: string, passphraseFile: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--passphrase-file', passphraseFile], { env: { PATH: process.env.PATH ?? '', CORRIDOR_WEB_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`corridor serve did not start: ${stderr}`)), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, url: (JSON.parse(line) as { listening: string }).listening, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`corridor serve exited with ${String(code)}: ${stderr}`));
    });
  });
}

/** SIGTERM (as Ctrl-C would) unless it has ended; its exit code. */
export async function stopServed(s: Served): Promise<number | null> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
  return s.exited;
}
