import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { body } from '../../http/errors.js';
import { peerReadAuth } from '../../http/peer-auth.js';

const HASH = /^[A-Za-z0-9_-]{43}$/;

/**
 * `GET /federation/v1/directory/entries/{sha256}`: one organisation's signed entry by the hash
 * the manifest names (immutable, so cacheable for good). Also serves our pending submissions.
 */
export function mountDirectoryEntryGet(app: Hono, ctx: NodeContext): void {
  app.get('/federation/v1/directory/entries/:hash', peerReadAuth(ctx), (c) => {
    const hash = c.req.param('hash');
    if (!HASH.test(hash)) return c.json(body('InvalidRequest', 'not an entry hash'), 400);
    const bytes = ctx.directory.store.entryBytes(hash) ?? ctx.directory.store.submissions().find((s) => s.hash === hash)?.bytes;
    if (!bytes) return c.json(body('NotFound'), 404);
    return c.body(new Uint8Array(bytes), 200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=31536000, immutable' });
  });
}
