import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECTORY_MEDIA_TYPE, type NodeDescriptor, randomBytes, signRequest, toBase64Url } from '../../protocol/index.js';
import { type TestNetwork, orgKeyOf, startNetwork } from '../helpers/network.js';

/**
 * The federation API accepts only signed requests from members (issue 7): ASTRA admits LEFÖ-IBF
 * (as the directory would) but not `outsider`, a real node with a real node key and valid
 * signatures. LEFÖ-IBF's offer is delivered; the outsider's, correctly signed, is refused with
 * the one 401 and nothing is stored; its signed directory read too; and no federation route
 * answers an unsigned request with anything but 401 (bar the public descriptor).
 */

let net: TestNetwork;
beforeAll(async () => {
  net = await startNetwork(['astra', 'lefoe', 'outsider'], { admit: false });
  const descriptor = async (name: string) => (await (await fetch(`${net.nodes[name]!.url}/.well-known/corridor`)).json()) as NodeDescriptor;
  const admit = async (at: string, who: string) => net.nodes[at]!.node.ctx.peers.admit(await descriptor(who), orgKeyOf(who).publicKey, net.clock.now());
  await admit('astra', 'lefoe');
  await admit('lefoe', 'astra');
  await admit('outsider', 'astra'); // the outsider knows ASTRA; ASTRA does not know it
});
afterAll(async () => {
  await net?.close();
});

const inboxCount = () => (net.nodes.astra!.node.ctx.handle.sqlite.prepare('SELECT count(*) AS n FROM inbox_item').get() as { n: number }).n;

describe('only members are heard', () => {
  it("a member's signed offer is delivered; a non-member's, signed by its real node key, is refused with 401 and stores nothing", async () => {
    const fromMember = net.send('lefoe', 'astra');
    const fromOutsider = net.send('outsider', 'astra');
    await net.drain();
    expect(net.nodes.lefoe!.node.ctx.outbox.list(100).find((r) => r.id === fromMember)?.state).toBe('acknowledged');
    const refused = net.nodes.outsider!.node.ctx.outbox.list(100).find((r) => r.id === fromOutsider);
    expect(refused?.state).not.toMatch(/delivered|acknowledged/);
    expect(refused?.lastStatus).toBe(401);
    expect(net.nodes.astra!.node.ctx.inbox.messages(0, 100).map((m) => m.sender)).toEqual(['node:lefoe']);
    expect(inboxCount()).toBe(1);
  });

  it("a non-member's correctly signed directory read is the same 401; a member's is answered", async () => {
    const url = `${net.nodes.astra!.url}/federation/v1/directory/submissions`;
    const read = (name: string) =>
      fetch(url, { headers: signRequest({ method: 'GET', url, contentType: DIRECTORY_MEDIA_TYPE, body: new Uint8Array(0), key: net.nodes[name]!.node.ctx.keys.nodeKey, node: `node:${name}`, created: Math.floor(net.clock.now() / 1000), nonce: toBase64Url(randomBytes(16)) }) });
    const outsider = await read('outsider');
    expect(outsider.status).toBe(401);
    expect(((await outsider.json()) as { error: { code: string } }).error.code).toBe('Unauthenticated');
    expect((await read('lefoe')).status).toBe(200);
  });

  it('every federation route but the public descriptor answers an unsigned request with 401', async () => {
    const routes = net.nodes.astra!.node.app.routes.filter((r) => r.path.startsWith('/federation/') && r.method !== 'ALL');
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const r of routes) {
      const path = r.path.replace(/:(\w+)/g, '01ARZ3NDEKTSV4RRFFQ69G5FAV');
      const res = await fetch(`${net.nodes.astra!.url}${path}`, { method: r.method, ...(r.method === 'PUT' ? { body: new Uint8Array(64) } : {}) });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
    }
    expect(inboxCount()).toBe(1);
  });
});
