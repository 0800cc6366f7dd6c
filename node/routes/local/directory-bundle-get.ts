import type { Hono } from 'hono';
import { toBase64Url } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';

/**
 * `GET /api/v1/directory/bundle`: what the stewards need to sign the next version (the signed
 * version held and the submissions waiting here), or with `?full=1` the whole directory with
 * every entry, to carry to a node that cannot reach any peer (a file on a USB stick).
 */
export function mountDirectoryBundleGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/directory/bundle', (c) => {
    const { store } = ctx.directory;
    const held = store.current();
    const full = c.req.query('full') === '1';
    const entries: string[] = [];
    if (full && held) {
      for (const ref of held.manifest.entries) {
        const bytes = store.entryBytes(ref.hash);
        if (bytes) entries.push(toBase64Url(bytes));
      }
    }
    return c.json({
      network: store.network(),
      manifest: held ? (JSON.parse(held.bytes.toString('utf8')) as unknown) : null,
      entries,
      submissions: store.submissions().map((s) => toBase64Url(s.bytes)),
    });
  });
}
