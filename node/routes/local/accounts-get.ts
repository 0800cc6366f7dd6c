import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';

/** `GET /api/v1/accounts`: every account, its role, team and whether it is disabled; never a hash. */
export function mountAccountsGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/accounts', (c) => c.json({ accounts: ctx.access.accounts.list() }));
}
