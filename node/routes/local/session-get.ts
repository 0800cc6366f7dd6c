import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { principalOf } from '../../http/roles.js';

/**
 * `GET /api/v1/session`: who am I (the account, or the machine credential), of which organisation,
 * and until when; for an account `now` is the node's clock (Unix seconds), so a screen proposes
 * dates (a consent's expiry) on it.
 */
export function mountSessionGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/session', (c) => {
    const who = principalOf(c);
    if (who.kind === 'machine') return c.json({ machine: true, role: who.role });
    const token = (c.req.header('authorization') ?? '').slice(7);
    const session = ctx.access.sessions.resolve(token, ctx.clock.now());
    const { password: _p, ...account } = session!.account;
    return c.json({ machine: false, role: who.role, account, language: ctx.access.accounts.languageOf(account.id), org: ctx.config.org, expiresAt: session!.expiresAt, idleExpiresAt: session!.idleExpiresAt, now: Math.floor(ctx.clock.now() / 1000) });
  });
}
