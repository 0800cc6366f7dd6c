import type { MiddlewareHandler } from 'hono';
import { equalBytes } from '../../protocol/index.js';
import { body } from './errors.js';

/**
 * The local API (the CLI, the demo) authenticates with the bearer token in the data directory's
 * `local-token` file, compared in constant time. Accounts and roles come with issue 7.
 */
export function localAuth(token: string): MiddlewareHandler {
  const expected = new TextEncoder().encode(`Bearer ${token}`);
  return async (c, next) => {
    const got = new TextEncoder().encode(c.req.header('authorization') ?? '');
    if (got.length !== expected.length || !equalBytes(got, expected)) return c.json(body('Unauthenticated'), 401);
    await next();
  };
}
