import type { Hono } from 'hono';
import { z } from 'zod';
import type { NodeContext } from '../../context.js';
import { readJson } from '../../http/input.js';

/**
 * `POST /api/v1/directory/collect` (no body, or `{}`): on the stewards' node, gather the entries
 * peers submitted (their own changes, their listings), to be signed into the next version with
 * `corridor directory publish`. Answers how many are new and which peers did not answer.
 */
export function mountDirectoryCollectPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/directory/collect', async (c) => {
    await readJson(c, z.strictObject({}));
    return c.json(await ctx.directory.sync.collect());
  });
}
