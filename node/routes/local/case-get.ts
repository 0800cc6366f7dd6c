import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { localActor } from '../../http/actor.js';

/**
 * `GET /api/v1/cases/{id}`: one case with its data, its consents (latest versions: what each
 * allows, how it was given, the notice the person was shown), its
 * referrals and the disclosure ledger: who received which fields under which consent. Audited
 * as `case-viewed` in the same transaction as the read (no entry, no data).
 */
export function mountCaseGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/cases/:id', (c) => {
    const { cases, consents, referralStore } = ctx.casework;
    const actor = localActor(c, ctx);
    const view = ctx.handle.sqlite.transaction(() => {
      const found = cases.require(c.req.param('id'));
      ctx.audit.record({ kind: 'case-viewed', actor, subject: { caseId: found.id } });
      return found;
    });
    const found = view();
    return c.json({
      ...found,
      consents: consents.ofCase(found.id).map((h) => ({
        id: h.record.id,
        version: h.record.version,
        hash: h.hash,
        status: h.record.status,
        expires: h.record.expires,
        controller: h.record.controller,
        local: h.local,
        processing: h.record.processing,
        recordedAt: h.record.recordedAt,
        jurisdiction: h.record.jurisdiction,
        given: h.record.given,
        notice: h.record.notice ?? null,
      })),
      referrals: referralStore.ofCase(found.id).map((r) => ({ id: r.id, direction: r.direction, peerOrg: r.peerOrg, state: r.state, purpose: r.purpose, theirContact: r.theirContact })),
      disclosures: referralStore.ledgerOfCase(found.id),
      assignment: ctx.access.assignments.get(found.id),
    });
  });
}
