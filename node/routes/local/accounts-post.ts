import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { NewAccount } from '../../accounts/accounts.js';
import { readJson } from '../../http/input.js';
import { principalOf } from '../../http/roles.js';

/** `POST /api/v1/accounts`: a new account for one person (coordinators: not an operator). */
export function mountAccountsPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/accounts', async (c) => {
    const input = await readJson(c, NewAccount);
    return c.json(await ctx.access.accounts.create(principalOf(c), input, ctx.clock.now()), 201);
  });
}
