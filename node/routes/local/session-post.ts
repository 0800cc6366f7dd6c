import type { Hono } from 'hono';
import { z } from 'zod';
import type { NodeContext } from '../../context.js';
import { readJson } from '../../http/input.js';

export const LoginRequest = z.strictObject({
  name: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
});

/**
 * `POST /api/v1/session {name, password}`: sign in. Answers the session token once (kept here
 * only as a hash), when it ends, who signed in, and the language they chose for the web interface. A wrong name, a wrong password and a disabled
 * account get the same 401 `LoginFailed`; too many failures a 429 `RateLimited` (ADR 0018).
 */
export function mountSessionPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/session', async (c) => {
    const { name, password } = await readJson(c, LoginRequest);
    const signedIn = await ctx.access.sessions.login(name, password, ctx.clock.now());
    return c.json({ token: signedIn.token, expiresAt: signedIn.expiresAt, idleSeconds: Math.floor(signedIn.idleMs / 1000), account: signedIn.account, language: ctx.access.accounts.languageOf(signedIn.account.id) }, 201);
  });
}
