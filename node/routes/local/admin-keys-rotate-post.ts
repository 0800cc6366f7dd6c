import type { Hono } from 'hono';
import { z } from 'zod';
import type { NodeContext } from '../../context.js';
import { readJson } from '../../http/input.js';

export const RotateRequest = z.strictObject({ force: z.boolean().optional(), key: z.enum(['prekey', 'node']).optional() });

/**
 * `POST /api/v1/admin/keys/rotate {force?, key?}`.
 * - `key: "prekey"` (the default): a new prekey now (`force`, the default: what `corridor keys
 *   rotate` asks for) or only if one is due, and the private halves of old prekeys past their use
 *   wiped. Published at once in `/.well-known/corridor`; old prekeys still open what was sealed to them.
 * - `key: "node"`: a new node key certified by the org key (409 `OrgKeyAbsent` without it) and
 *   our directory entry re-signed with it for the stewards; the node switches to it once the
 *   directory version it holds carries it (ADR 0017). Asking again while one is pending re-signs
 *   the entry with the same pending key.
 */
export function mountAdminKeysRotatePost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/admin/keys/rotate', async (c) => {
    const { force = true, key = 'prekey' } = await readJson(c, RotateRequest);
    const nowMs = ctx.clock.now();
    let result: { created: string | null; destroyed: string[] } = { created: null, destroyed: [] };
    let pending: { kid: string; created: boolean; submitted: number } | null = null;
    if (key === 'node') {
      const r = ctx.keyLifecycle.rotateNodeKey(nowMs);
      pending = { kid: r.pending, created: r.created, submitted: r.submitted };
    } else {
      result = ctx.keys.rotate(Math.floor(nowMs / 1000), { force });
      if (result.created) ctx.log.info('new prekey', { kid: result.created, by: 'operator' });
    }
    const current = ctx.keys.currentPrekey();
    return c.json({
      key,
      created: key === 'node' ? (pending?.kid ?? null) : result.created,
      destroyed: result.destroyed,
      prekey: { kid: current.kid, notBefore: current.notBefore, notAfter: current.notAfter },
      published: ctx.keys.publishedPrekeys(Math.floor(nowMs / 1000)).map((p) => p.kid),
      nodeKey: { kid: ctx.keys.trusted.kid, notAfter: ctx.keys.trusted.notAfter, pending },
      nodeKeys: ctx.keys.nodeKeys(),
    });
  });
}
