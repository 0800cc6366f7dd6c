import type { Hono } from 'hono';
import { z } from 'zod';
import type { NodeContext } from '../../context.js';
import { readJson } from '../../http/input.js';

export const RotateRequest = z.strictObject({ force: z.boolean().optional() });

/**
 * `POST /api/v1/admin/keys/rotate {force?}`: a new prekey now (`force`, the default: what
 * `corridor keys rotate` asks for) or only if one is due, and the private halves of old prekeys
 * past their use wiped. The new prekey is published at once in `/.well-known/corridor`; senders
 * seal to it from their next look-up, and the old ones still open what was sealed to them.
 * Rotating the node key itself (a new key certified by the org key, published in the next
 * directory entry) is not done here: it comes with issue 7.
 */
export function mountAdminKeysRotatePost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/admin/keys/rotate', async (c) => {
    const { force = true } = await readJson(c, RotateRequest);
    const result = ctx.keys.rotate(Math.floor(ctx.clock.now() / 1000), { force });
    if (result.created) ctx.log.info('new prekey', { kid: result.created, by: 'operator' });
    const current = ctx.keys.currentPrekey();
    return c.json({
      created: result.created,
      destroyed: result.destroyed,
      prekey: { kid: current.kid, notBefore: current.notBefore, notAfter: current.notAfter },
      published: ctx.keys.publishedPrekeys().map((p) => p.kid),
      nodeKey: { kid: ctx.keys.trusted.kid, notAfter: ctx.keys.trusted.notAfter, rotation: 'not-yet' },
    });
  });
}
