import type { ErrorCode } from '../../protocol/index.js';

/**
 * The web interface's only way to the node: the local API, the very routes the CLI calls, asked
 * in process through the node's own fetch handler with the signed-in person's session token. So
 * every page goes through the same authentication, role matrix, validation and audit log as the
 * CLI; the web layer holds no case data of its own and never touches the database.
 */

export type LocalFetch = (request: Request) => Response | Promise<Response>;

/** what the local API said when it refused: its code, its message, the fields at fault */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'Internal',
    message: string,
    readonly issues: { path: string; problem: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface LocalApi {
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
  /** the local API's answer as it is (a document's bytes); a refusal still throws an ApiError */
  raw(path: string): Promise<Response>;
}

const BASE = 'http://corridor.local';

export function localApi(fetchLocal: LocalFetch, token: string | null): LocalApi {
  const send = async (method: string, path: string, body?: unknown, query?: Record<string, string | number | undefined>): Promise<Response> => {
    const url = new URL(path, BASE);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetchLocal(new Request(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  };
  const refusal = async (response: Response): Promise<ApiError> => {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(await response.text());
    } catch {
      parsed = null;
    }
    const error = (parsed as { error?: { code?: string; message?: string; issues?: { path: string; problem: string }[] } } | null)?.error;
    return new ApiError(response.status, (error?.code ?? 'Internal') as ErrorCode, error?.message ?? response.statusText, error?.issues ?? []);
  };
  const call = async <T,>(method: string, path: string, body?: unknown, query?: Record<string, string | number | undefined>): Promise<T> => {
    const response = await send(method, path, body, query);
    if (!response.ok) throw await refusal(response);
    const text = await response.text();
    try {
      return (text === '' ? null : JSON.parse(text)) as T;
    } catch {
      throw new ApiError(502, 'Internal', 'the local API answered something that is not JSON');
    }
  };
  return {
    get: (path, query) => call('GET', path, undefined, query),
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body ?? {}),
    patch: (path, body) => call('PATCH', path, body ?? {}),
    del: (path) => call('DELETE', path),
    raw: async (path) => {
      const response = await send('GET', path);
      if (!response.ok) throw await refusal(response);
      return response;
    },
  };
}
