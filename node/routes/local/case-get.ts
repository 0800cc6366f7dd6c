import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';

/**
 * `GET /api/v1/cases/{id}`: one case with its data, its consents (latest versions), its
 * referrals and the disclosure ledger: who received which fields under which consent.
 */
export function mountCaseGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/cases/:id', (c) => {
    const { cases, consents, referralStore } = ctx.casework;
    const found = cases.require(c.req.param('id'));
    return c.json({
      ...found,
      consents: consents.ofCase(found.id).map((h) => ({ id: h.record.id, version: h.record.version, hash: h.hash, status: h.record.status, expires: h.record.expires, controller: h.record.controller, local: h.local, processing: h.record.processing })),
      referrals: referralStore.ofCase(found.id).map((r) => ({ id: r.id, direction: r.direction, peerOrg: r.peerOrg, state: r.state, purpose: r.purpose, theirContact: r.theirContact })),
      disclosures: referralStore.ledgerOfCase(found.id),
      assignment: ctx.access.assignments.get(found.id),
    });
  });
}
