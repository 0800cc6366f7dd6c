import type { Hono } from 'hono';
import { toBase64Url } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { peerReadAuth } from '../../http/peer-auth.js';

/**
 * `GET /federation/v1/directory/submissions`: the signed entries waiting here for the stewards
 * (our own, our listings, and any collected from peers), as base64url bytes. The stewards check
 * each against the org key the directory binds, so a mirror cannot slip anything in.
 */
export function mountDirectorySubmissionsGet(app: Hono, ctx: NodeContext): void {
  app.get('/federation/v1/directory/submissions', peerReadAuth(ctx), (c) => {
    return c.json({ entries: ctx.directory.store.submissions().map((s) => toBase64Url(s.bytes)) });
  });
}
