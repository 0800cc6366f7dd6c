import type { Hono } from 'hono';
import { z } from 'zod';
import type { NodeContext } from '../../context.js';
import { readJson } from '../../http/input.js';
import { verifyAuditLog } from '../../audit/verify.js';

export const AuditVerifyRequest = z.strictObject({});

/**
 * `POST /api/v1/audit/verify {}`: recomputes the whole audit log (every leaf, the tree, the
 * frontier, every checkpoint's root and signature) and names the first entry or checkpoint that
 * does not match; with the partners' checkpoints held as witnesses and what their last check found.
 * 200 either way: `ok` says whether the log verifies.
 */
export function mountAuditVerifyPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/audit/verify', async (c) => {
    await readJson(c, AuditVerifyRequest);
    const report = verifyAuditLog(ctx.handle.sqlite, (kid) => ctx.keys.ownTrusted(kid));
    // a log that verifies gets a checkpoint over everything just checked
    const checkpoint = report.ok ? ctx.audit.checkpoint().checkpoint : null;
    return c.json({ ...report, checkpoint, witnesses: ctx.audit.witnesses() });
  });
}
