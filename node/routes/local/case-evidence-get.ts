import type { Hono } from 'hono';
import { evidenceHash, signEvidence } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { localActor } from '../../http/actor.js';
import { gatherEvidence } from '../../audit/evidence.js';

/**
 * `GET /api/v1/cases/{id}/evidence`: the case's evidence bundle (protocol/audit/evidence.ts), the
 * exact signed bytes a third party checks offline with `corridor audit check-evidence`. Built in
 * one transaction with its `case-exported` audit entry (the SHA-256 of these bytes): the entry
 * is the next one in the log, after the checkpoint the bundle carries.
 */
export function mountCaseEvidenceGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/cases/:id/evidence', (c) => {
    const actor = localActor(c, ctx);
    const bytes = ctx.handle.sqlite
      .transaction(() => {
        const found = ctx.casework.cases.require(c.req.param('id'));
        const checkpoint = ctx.audit.checkpoint();
        const body = gatherEvidence(ctx.handle.sqlite, ctx.audit, {
          caseId: found.id,
          node: ctx.config.node,
          org: ctx.config.org,
          now: Math.floor(ctx.clock.now() / 1000),
          orgPublicKey: ctx.keys.orgPublicKey,
          certificate: ctx.keys.certificate,
          checkpoint,
          openInner: (inner) => ctx.casework.threadMessages.openInner(found.id, inner),
        });
        const signed = signEvidence(ctx.keys.nodeKey, body);
        ctx.audit.record({ kind: 'case-exported', actor, subject: { caseId: found.id }, hashes: { export: evidenceHash(signed) } });
        return signed;
      })
      .immediate();
    return c.body(new TextDecoder().decode(bytes), 200, { 'content-type': 'application/json' });
  });
}
