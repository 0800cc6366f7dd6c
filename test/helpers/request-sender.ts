import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/**
 * How the bad-input tests put requests on the wire and read what comes back: well-formed HTTP
 * through node:http (keep-alive, an own connection for big bodies, optionally chunked), or bytes
 * written as they are on a fresh socket, reading every response on it. Plus the concurrency pool
 * that keeps a fixed number of requests in flight.
 */

export interface Wire {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** send the body chunked (no content-length) */
  chunked?: boolean;
}

/** Bytes written as they are on a fresh connection (lying framing, bad Host, bad header bytes). */
export interface RawWire {
  raw: Buffer;
  /** end the connection's sending side after the bytes (an upload cut short) */
  halfClose?: boolean;
}

export interface Answer {
  /** every response status read, in order (a raw connection may carry several) */
  statuses: number[];
  bodies: string[];
  /** a connection error or timeout before any response */
  error?: string;
  /** content-type, content-length and the sorted header names (without date and connection ones) */
  shape?: string;
}

export const isRaw = (w: Wire | RawWire): w is RawWire => 'raw' in w;

export async function send(target: { host: string; port: number; agent: Agent }, wire: Wire | RawWire, timeoutMs = 20_000): Promise<Answer> {
  return isRaw(wire) ? sendRaw(target, wire, Math.min(timeoutMs, 3000)) : sendHttp(target, wire, timeoutMs);
}

function sendHttp(target: { host: string; port: number; agent: Agent }, wire: Wire, timeoutMs: number): Promise<Answer> {
  return new Promise<Answer>((resolve) => {
    let settled = false;
    const done = (a: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      own?.destroy();
      resolve(a);
    };
    // a big body goes on its own (keep-alive) connection: the server answers 413 before reading
    // it, then reads and drops the rest; asking for `Connection: close` instead makes it close
    // while the body is still being written, and the client may see EPIPE before the 413
    const big = wire.body.length > 1024 * 1024;
    const own = big ? new Agent({ keepAlive: true, maxSockets: 1 }) : null;
    const req = httpRequest({ host: target.host, port: target.port, method: wire.method, path: wire.path, headers: wire.headers, agent: own ?? target.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      const names = Object.keys(res.headers).filter((n) => !['date', 'connection', 'keep-alive'].includes(n)).sort();
      const shape = `${res.headers['content-type'] ?? ''}|${res.headers['content-length'] ?? ''}|${names.join(',')}`;
      res.on('end', () => done({ statuses: [res.statusCode ?? 0], bodies: [Buffer.concat(chunks).toString('utf8')], shape }));
      res.on('error', () => done({ statuses: [res.statusCode ?? 0], bodies: [Buffer.concat(chunks).toString('utf8')] }));
    });
    // a server may close the connection while a refused oversized body is still being written;
    // that is only a failure when no response came first
    let response: { status: number } | null = null;
    req.on('socket', (socket) => {
      if (big) socket.on('error', () => undefined); // EPIPE while writing what the server refused
    });
    req.on('response', (res) => {
      response = { status: res.statusCode ?? 0 };
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (response) done({ statuses: [response.status], bodies: [''] });
      else done({ statuses: [], bodies: [], error: `${e.code ?? e.name}: ${e.message}` });
    });
    const timer = setTimeout(() => {
      req.destroy(new Error('timeout'));
      done({ statuses: [], bodies: [], error: 'timeout' });
    }, timeoutMs);
    if (wire.chunked) {
      const chunk = 64 * 1024;
      let offset = 0;
      const pump = () => {
        while (offset < wire.body.length) {
          const part = wire.body.subarray(offset, offset + chunk);
          offset += part.length;
          if (!req.write(part)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    } else {
      req.end(wire.body);
    }
  });
}

/** Reads every `HTTP/1.x NNN` response on a connection until it closes (or the time is up). */
function sendRaw(target: { host: string; port: number }, wire: RawWire, timeoutMs: number): Promise<Answer> {
  return new Promise<Answer>((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const socket = connect({ host: target.host, port: target.port });
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses: number[] = [];
      const bodies: string[] = [];
      const re = /HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n/g;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        statuses.push(Number(m[1]));
        const length = /(?:^|\r\n)content-length: *(\d+)/i.exec(m[2] ?? '');
        const start = m.index + m[0].length;
        bodies.push(length ? text.slice(start, start + Number(length[1])) : '');
      }
      resolve(statuses.length > 0 ? { statuses, bodies } : { statuses, bodies, error: error ?? 'no response' });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = `${e.code ?? e.name}: ${e.message}`;
    });
    socket.on('close', finish);
    socket.on('connect', () => {
      if (wire.halfClose) socket.end(wire.raw);
      else socket.write(wire.raw);
    });
  });
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i] as T, i);
  });
  await Promise.all(workers);
}
