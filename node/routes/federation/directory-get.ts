import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { body } from '../../http/errors.js';
import { peerReadAuth } from '../../http/peer-auth.js';

/**
 * `GET /federation/v1/directory`: the signed directory version this node holds, byte for byte as
 * it arrived, for a peer to mirror. We are an untrusted mirror: the stewards' signatures carry
 * the trust, so the peer checks them itself. 404 while we hold none.
 */
export function mountDirectoryGet(app: Hono, ctx: NodeContext): void {
  app.get('/federation/v1/directory', peerReadAuth(ctx), (c) => {
    const held = ctx.directory.store.current();
    if (!held) return c.json(body('NotFound', 'this node holds no directory yet'), 404);
    return c.body(new Uint8Array(held.bytes), 200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
  });
}
