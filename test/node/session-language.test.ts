import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestNetwork, signIn, startNetwork } from '../helpers/network.js';

let net: TestNetwork;
let token: string;
const put = (auth: string, body: unknown) =>
  fetch(`${net.nodes.astra!.url}/api/v1/session/language`, { method: 'PUT', headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  net = await startNetwork(['astra']);
  const astra = net.nodes.astra!;
  token = await signIn(astra.url, astra.node.localToken, { name: 'jelena', role: 'case-worker', team: 'belgrade' });
});

afterAll(async () => {
  await net?.close();
});

describe('PUT /api/v1/session/language: a person keeps their language with their account', () => {
  it('is none at first, then the chosen one, in the session and at the next login', async () => {
    const session = async () => (await (await fetch(`${net.nodes.astra!.url}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } })).json()) as { language: string | null };
    expect((await session()).language).toBeNull();
    const res = await put(token, { language: 'mk' });
    expect(res.status).toBe(200);
    expect((await session()).language).toBe('mk');
    const login = await fetch(`${net.nodes.astra!.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'jelena', password: 'correct horse battery staple' }) });
    expect(((await login.json()) as { language: string }).language).toBe('mk');
  });

  it('refuses a language the interface does not have, naming the field, never echoing it', async () => {
    const res = await put(token, { language: 'xx-evil' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('language');
    expect(text).not.toContain('xx-evil');
  });

  it('refuses the machine credential (it is nobody) and a request without a session', async () => {
    expect((await put(net.nodes.astra!.node.localToken, { language: 'de' })).status).toBe(400);
    expect((await fetch(`${net.nodes.astra!.url}/api/v1/session/language`, { method: 'PUT', body: '{"language":"de"}' })).status).toBe(401);
  });
});
