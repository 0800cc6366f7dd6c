import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { principalOf } from '../../http/roles.js';

/** `DELETE /api/v1/session`: sign out; the token is refused from now on. */
export function mountSessionDelete(app: Hono, ctx: NodeContext): void {
  app.delete('/api/v1/session', (c) => {
    if (principalOf(c).kind === 'account') ctx.access.sessions.logout((c.req.header('authorization') ?? '').slice(7), ctx.clock.now());
    return c.json({ signedOut: true });
  });
}
