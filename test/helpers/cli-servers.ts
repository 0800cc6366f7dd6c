import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What the CLI meets when it is pointed at the wrong place: a port where nothing listens, a web
 * server that is not a Corridor node. And a data folder holding a local token.
 */

/** A 127.0.0.1 port that was just closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An HTTP server answering every request with `status` and `body` (a web page, say). */
export async function notACorridorNode(status: number, body: string, contentType = 'text/html'): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let count = 0;
  const server: Server = createServer((_req, res) => {
    count++;
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A temporary data folder with a `local-token` file; `remove()` deletes it. */
export function tokenDir(token = 'test-local-token'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-cli-'));
  writeFileSync(join(dir, 'local-token'), `${token}\n`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
