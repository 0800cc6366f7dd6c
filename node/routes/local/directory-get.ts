import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';

/**
 * `GET /api/v1/directory`: which directory this node holds and whether it is fresh. A stale one
 * still serves search and verification, but no new referral starts until a fresh one arrives.
 */
export function mountDirectoryGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/directory', (c) => {
    const { store } = ctx.directory;
    const held = store.current();
    const f = store.freshness(ctx.clock.now());
    const counts = store.counts();
    return c.json({
      network: store.network(),
      version: held?.manifest.version ?? 0,
      hash: held?.ref.hash ?? null,
      issued: held?.manifest.issued ?? null,
      expires: held?.manifest.expires ?? null,
      fresh: f.fresh,
      staleSince: f.fresh ? null : f.staleSince,
      acceptedAt: held?.acceptedAt ?? null,
      organisations: counts.organisations,
      withNode: counts.withNode,
      services: store.serviceCount(),
      lastSync: store.lastSync(),
      submissions: store.submissions().map(({ org, seq }) => ({ org, seq })),
      splitView: store.splitViewSince(held?.acceptedAt ?? 0),
    });
  });
}
