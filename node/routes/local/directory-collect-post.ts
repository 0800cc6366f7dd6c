import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';

/**
 * `POST /api/v1/directory/collect`: on the stewards' node, gather the entries peers submitted
 * (their own changes, their listings), to be signed into the next version with
 * `corridor directory publish`. Answers how many are new and which peers did not answer.
 */
export function mountDirectoryCollectPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/directory/collect', async (c) => c.json(await ctx.directory.sync.collect()));
}
