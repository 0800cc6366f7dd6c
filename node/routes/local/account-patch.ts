import type { Hono } from 'hono';
import { ProtocolError, Ulid } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { AccountPatch } from '../../accounts/accounts.js';
import { readJson } from '../../http/input.js';
import { principalOf } from '../../http/roles.js';

/**
 * `PATCH /api/v1/accounts/{id}`: display name, role, team, disabled, a new password. Disabling,
 * a new role or a new password end the account's sessions.
 */
export function mountAccountPatch(app: Hono, ctx: NodeContext): void {
  app.patch('/api/v1/accounts/:id', async (c) => {
    const id = c.req.param('id');
    if (!Ulid.safeParse(id).success) throw new ProtocolError('NotFound', 'no such account');
    const patch = await readJson(c, AccountPatch);
    return c.json(await ctx.access.accounts.update(principalOf(c), id, patch, ctx.clock.now()));
  });
}
