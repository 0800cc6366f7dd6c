import type { Hono } from 'hono';
import { OrgId, ProtocolError, entryNodeKeys, fingerprint, fromBase64Url } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';

/**
 * `GET /api/v1/directory/orgs/{org}`: one organisation as the directory holds it: its profile,
 * the fingerprint of its org key (to read aloud with the partner), its node(s) and their keys
 * with validity and revocations; a listing says who keeps it.
 */
export function mountDirectoryOrgGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/directory/orgs/:org', (c) => {
    const org = c.req.param('org');
    if (!OrgId.safeParse(org).success) throw new ProtocolError('InvalidRequest', undefined, { issues: [{ path: 'org', problem: 'invalid_format' }] });
    const found = ctx.directory.store.orgEntry(org);
    if (!found) throw new ProtocolError('NotFound', 'no such organisation in the directory');
    const { entry } = found;
    const orgPublicKey = fromBase64Url(found.orgPublicKey) ?? new Uint8Array(32);
    const trusted = entryNodeKeys(entry, orgPublicKey);
    return c.json({
      org: entry.org,
      name: entry.name,
      seq: entry.seq,
      updated: entry.updated,
      listedBy: entry.listedBy ?? null,
      orgKey: { kid: found.orgKid, fingerprint: fingerprint(orgPublicKey) },
      nodes: entry.nodes.map((n) => ({
        node: n.node,
        url: n.url,
        protocols: n.protocols,
        maxBytes: n.maxBytes,
        keys: trusted
          .filter((k) => k.node === n.node)
          .map((k) => ({ kid: k.kid, notBefore: k.notBefore, notAfter: k.notAfter, ...(k.compromisedSince !== undefined ? { compromisedSince: k.compromisedSince } : {}), ...(k.revokedAt !== undefined ? { revokedAt: k.revokedAt } : {}) })),
      })),
      profile: entry.profile,
    });
  });
}
