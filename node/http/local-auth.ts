import type { MiddlewareHandler } from 'hono';
import { equalBytes } from '../../protocol/index.js';
import type { Principal } from '../accounts/accounts.js';
import type { NodeContext } from '../context.js';
import { body } from './errors.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** who is asking, set by localAuth on every local route but the login */
    principal: Principal;
  }
}

const PUBLIC = new Set(['POST /api/v1/session']);

/**
 * Every local route needs `Authorization: Bearer <token>` (ADR 0018): a person's session token
 * (from `POST /api/v1/session`), or the node's machine credential from the data directory's
 * `local-token` file, which acts as an operator and is nobody's login. Unknown, malformed,
 * expired and revoked tokens all get the same 401. Only the login itself is open.
 */
export function localAuth(ctx: NodeContext, machineToken: string): MiddlewareHandler {
  const machine = new TextEncoder().encode(machineToken);
  return async (c, next) => {
    if (PUBLIC.has(`${c.req.method} ${c.req.path}`)) return next();
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer [A-Za-z0-9_-]{20,100}$/.test(header) ? header.slice(7) : null;
    if (token === null) return c.json(body('Unauthenticated', 'sign in first'), 401);
    const got = new TextEncoder().encode(token);
    if (got.length === machine.length && equalBytes(got, machine)) {
      c.set('principal', { kind: 'machine', id: null, role: 'operator', team: null });
      return next();
    }
    const session = ctx.access.sessions.resolve(token, ctx.clock.now());
    if (!session) return c.json(body('Unauthenticated', 'the session is unknown, expired or ended: sign in again'), 401);
    c.set('principal', { kind: 'account', id: session.account.id, role: session.account.role, team: session.account.team });
    return next();
  };
}
