import { z } from 'zod';
import { ProtocolError, isErrorCode } from '../protocol/index.js';
import { LocalNodeError } from './errors.js';

/**
 * The client of a node's local API (`/api/v1/...`): base URL, bearer token, fetch injected.
 * Every failure is a `ProtocolError`: the node's own `{error: {code, message, issues?}}` for any
 * non-2xx answer; `PeerUnavailable` when the node cannot be reached or does not answer in time,
 * and `BadResponse` when the answer is not the JSON expected, both with a `LocalNodeError` cause.
 */

export interface LocalClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  timeoutMs?: number;
}

export interface LocalClient {
  readonly baseUrl: string;
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  get<T>(path: string, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
  post<T>(path: string, body: unknown, schema: z.ZodType<T>, options?: RequestOptions): Promise<T>;
}

/** The error body as it arrives: checked loosely, so an answer with many issues still reads. */
const WireError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), problem: z.string() })).optional(),
  }),
});

export function createLocalClient(options: LocalClientOptions): LocalClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const defaultTimeout = options.timeoutMs ?? 30_000;

  const request = async <T>(method: string, path: string, schema: z.ZodType<T>, opts: RequestOptions = {}): Promise<T> => {
    const url = new URL(`${baseUrl}${path}`);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value !== undefined && value !== '' && value !== false) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let text: string;
    try {
      const response = await doFetch(url, {
        method,
        headers,
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? defaultTimeout),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ProtocolError('PeerUnavailable', timedOut ? `the node at ${baseUrl} did not answer in time` : `the node at ${baseUrl} is not reachable`, {
        cause: new LocalNodeError(timedOut ? 'timeout' : 'unreachable', baseUrl, { cause: error }),
      });
    }

    const badAnswer = (why: string, cause?: unknown) =>
      new ProtocolError('BadResponse', `the node at ${baseUrl} answered ${method} ${path} with ${why}`, {
        cause: new LocalNodeError('badAnswer', baseUrl, { status, cause }),
      });

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw badAnswer(`HTTP ${status} and a body that is not JSON`, error);
    }

    if (status < 200 || status > 299) {
      const wire = WireError.safeParse(json);
      if (!wire.success || !isErrorCode(wire.data.error.code)) throw badAnswer(`HTTP ${status} without a Corridor error body`);
      const { code, message, issues } = wire.data.error;
      throw new ProtocolError(code, message, issues ? { issues } : undefined);
    }

    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const paths = parsed.error.issues.slice(0, 5).map((i) => i.path.join('.') || '(root)');
      throw badAnswer(`a body of another shape (${paths.join(', ')})`);
    }
    return parsed.data;
  };

  return {
    baseUrl,
    request,
    get: (path, schema, opts) => request('GET', path, schema, opts),
    post: (path, body, schema, opts) => request('POST', path, schema, { ...opts, body }),
  };
}
