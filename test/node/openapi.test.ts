import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../node/routes/local/openapi-get.js';
import { ACTIONS } from '../../node/routes/local/referral-action-post.js';
import { type TestNetwork, startNetwork } from '../helpers/network.js';

/**
 * The OpenAPI document of the local API is generated from the zod schemas the routes validate
 * with, and lists exactly the routes the node mounts (so it cannot drift from the code).
 */

let net: TestNetwork;
beforeAll(async () => {
  net = await startNetwork(['astra']);
});
afterAll(async () => {
  await net?.close();
});

describe('GET /api/v1/openapi.json', () => {
  it('lists every mounted local route, and nothing that is not mounted', async () => {
    const app = net.nodes.astra!.node.app;
    const mounted = new Set<string>();
    for (const r of app.routes.filter((x) => x.path.startsWith('/api/v1/') && x.method !== 'ALL')) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      if (path.endsWith('/{action}')) for (const a of Object.keys(ACTIONS)) mounted.add(`${r.method} ${path.replace('{action}', a)}`);
      else mounted.add(`${r.method} ${path}`);
    }
    expect([...mounted].sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  it('is served as OpenAPI 3.1 with the request schemas of the routes', async () => {
    const n = net.nodes.astra!;
    const res = await fetch(`${n.url}/api/v1/openapi.json`, { headers: { authorization: `Bearer ${n.token}` } });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[]; additionalProperties?: boolean } }> } }>> };
    expect(doc.openapi).toBe('3.1.0');
    const offer = doc.paths['/api/v1/referrals']?.post?.requestBody?.content['application/json']?.schema;
    expect(offer?.required).toEqual(expect.arrayContaining(['caseId', 'to', 'purpose', 'consentId', 'needs', 'urgency', 'currentCountry', 'contact']));
    expect(offer?.additionalProperties).toBe(false);
    expect(doc.paths['/api/v1/directory/search']?.get).toBeDefined();
  });
});
