import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { ConsentInput } from '../../case/consents.js';
import { readJson } from '../../http/input.js';

/**
 * `POST /api/v1/cases/{id}/consents`: record the person's consent (27560 shape, DPV terms):
 * recipients, purposes, fields, onward sharing, retention, expiry (at most 12 months), how and by
 * whom it was given. Signed here by the node key; answers its id, version and hash.
 */
export function mountCaseConsentsPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/cases/:id/consents', async (c) => {
    const input = await readJson(c, ConsentInput);
    const found = ctx.casework.cases.require(c.req.param('id'));
    const held = ctx.casework.consents.record(found.id, found.subjectRef, input, ctx.clock.now());
    return c.json({ id: held.record.id, version: held.record.version, hash: held.hash, expires: held.record.expires }, 201);
  });
}
