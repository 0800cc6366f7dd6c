import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, open } from '../../protocol/index.js';
import { RETIRED_CERTIFICATE_SECONDS } from '../../node/services/keys.js';
import { type DirectoryNetwork, startDirectoryNetwork } from '../helpers/directory-network.js';
import { traffic } from '../helpers/key-traffic.js';
import { PERSON_CASE } from '../helpers/casework.js';

/**
 * Key rotation under load, over three real nodes that know each other only from the signed
 * directory: offers flow in every direction while (a) prekeys rotate on schedule and the old
 * private halves are wiped, (b) a node key rotates: every offer arrives exactly once, nothing
 * is rejected, quarantined or lost (ADR 0017).
 */

const NAMES = ['open-gate', 'astra', 'lefoe-ibf'];
const DAY = 86_400;
let dn: DirectoryNetwork;

afterEach(async () => {
  await dn?.close();
});

async function genesis() {
  dn = await startDirectoryNetwork(NAMES);
  for (const name of NAMES) await dn.submitOwn(name);
  const v1 = await dn.publish({ from: NAMES, expiresInDays: 120 });
  for (const name of NAMES) await dn.install(name, v1.body);
  for (const name of NAMES) await ctxOf(name).directory.sync.fetchPrekeys();
}

const ctxOf = (name: string) => {
  const n = dn.net.nodes[name];
  if (!n) throw new Error(name);
  return n.node.ctx;
};
const nowS = () => Math.floor(dn.net.clock.now() / 1000);
const secretOf = (name: string, kid: string) => (ctxOf(name).handle.sqlite.prepare(`SELECT secret FROM own_key WHERE kid = ?`).get(kid) as { secret: Buffer | null }).secret;

describe('key rotation under load', () => {
  it('prekeys rotate on schedule: messages sealed to the old prekey still open after it ends, then its private half is wiped', async () => {
    await genesis();
    const t = traffic(dn, NAMES);
    t.burst('a1');
    await dn.net.drain();
    t.expectAllDelivered();
    const p1 = new Map(NAMES.map((n) => [n, ctxOf(n).keys.currentPrekey()]));

    // three weeks later the scheduled rotation makes P2 (less than a week left on P1)
    dn.net.clock.advance({ ms: 22 * DAY * 1000 });
    t.burst('a2'); // sealed to P1 (the senders' cached prekey), not yet sent
    for (const n of NAMES) {
      const { created } = ctxOf(n).keys.rotate(nowS());
      expect(created).not.toBeNull();
      expect(ctxOf(n).keys.currentPrekey().kid).toBe(created);
    }
    t.burst('a3'); // still sealed to P1: the senders have not looked P2 up yet
    const a3Envelope = ctxOf('astra').handle.sqlite.prepare(`SELECT envelope FROM outbox_item WHERE "to" = 'node:open-gate' ORDER BY createdAt DESC LIMIT 1`).get() as { envelope: Buffer };

    // P1 has less than an hour left: the senders fetch the descriptors and seal to P2 from now on
    const p1End = p1.get('astra')?.notAfter ?? 0;
    dn.net.clock.advance({ ms: (p1End - 1800 - nowS()) * 1000 });
    for (const n of NAMES) await ctxOf(n).directory.sync.fetchPrekeys();
    for (const n of NAMES) {
      for (const other of NAMES.filter((o) => o !== n)) expect(ctxOf(n).peers.prekeyFor(`node:${other}`, nowS()).prekey.kid).toBe(ctxOf(other).keys.currentPrekey().kid);
    }
    t.burst('a4');

    // delivered an hour after P1's end: what was sealed to it still opens (grace), P2 for the rest
    dn.net.clock.advance({ ms: 3600 * 1000 });
    await dn.net.drain();
    t.expectAllDelivered();

    // past P1's end + the longest message lifetime: the scheduled rotation wipes P1's private half
    dn.net.clock.advance({ ms: (p1End + LIMITS.maxMessageLifetimeSeconds + LIMITS.clockSkewSeconds + 60 - nowS()) * 1000 });
    for (const n of NAMES) {
      const old = p1.get(n)?.kid ?? '';
      const { destroyed } = ctxOf(n).keys.rotate(nowS());
      expect(destroyed).toContain(old);
      expect(secretOf(n, old)).toBeNull();
      expect(ctxOf(n).keys.heldPrekey(old)).toBeUndefined();
    }
    // an envelope sealed to P1 no longer opens anywhere: forward secrecy bounded by the rotation
    const og = ctxOf('open-gate');
    const reopened = open(new Uint8Array(a3Envelope.envelope), { self: 'node:open-gate', now: nowS(), prekey: (kid) => og.keys.heldPrekey(kid), senderKey: (n, kid) => og.peers.key(n, kid) });
    expect(reopened).toMatchObject({ ok: false });
    // and the stream goes on with the new prekeys
    for (const n of NAMES) await ctxOf(n).directory.sync.fetchPrekeys();
    t.burst('a5');
    await dn.net.drain();
    t.expectAllDelivered();
    expect(t.sent()).toBe(5 * 6);
  });

  it('a node key rotates while offers flow: the new key signs only once the held version carries it; a peer that has not installed it yet gets everything after it does', async () => {
    await genesis();
    const t = traffic(dn, NAMES);
    const astra = ctxOf('astra');
    const k1 = astra.keys.nodeKey.kid;
    t.burst('b1');
    await dn.net.drain();
    // a medical certificate attached before the rotation: its manifest is signed by K1
    const created = await dn.api('astra', 'POST', '/api/v1/cases', PERSON_CASE);
    const astraNode = dn.net.nodes.astra;
    const certificateBytes = new TextEncoder().encode('medical certificate, signed by K1');
    const attached = await fetch(`${astraNode?.url}/api/v1/cases/${created.json.id}/attachments?name=cert.txt`, { method: 'POST', headers: { authorization: `Bearer ${astraNode?.token}`, 'content-type': 'text/plain' }, body: certificateBytes });
    expect(attached.status).toBe(201);
    const attachmentId = ((await attached.json()) as { id: string }).id;

    // the operator rotates: a new key, certified, published in ASTRA's entry and descriptor, not used yet
    const rotated = await dn.api('astra', 'POST', '/api/v1/admin/keys/rotate', { key: 'node' });
    expect(rotated.status).toBe(200);
    const k2 = rotated.json.nodeKey.pending.kid as string;
    expect(k2).not.toBe(k1);
    expect(rotated.json.nodeKey.kid).toBe(k1);
    expect(astra.keys.nodeKey.kid).toBe(k1);
    const descriptor = (await (await fetch(`${dn.net.nodes.astra?.url}/.well-known/corridor`)).json()) as { nodeKeys: { key: { kid: string } }[] };
    expect(descriptor.nodeKeys.map((c) => c.key.kid).sort()).toEqual([k1, k2].sort());
    // asking again keeps the same pending key
    expect((await dn.api('astra', 'POST', '/api/v1/admin/keys/rotate', { key: 'node' })).json.nodeKey.pending).toMatchObject({ kid: k2, created: false });
    t.burst('b2'); // signed with K1

    // the stewards publish; Open Gate installs first, then ASTRA (which switches), LEFÖ-IBF later
    // (cut off from Open Gate, it cannot mirror the new version from there meanwhile)
    dn.net.cutBetween('open-gate', 'lefoe-ibf');
    const v2 = await dn.publish({ from: ['astra'] });
    await dn.install('open-gate', v2.body);
    await dn.net.drain();
    t.burst('b3'); // still K1: ASTRA does not hold v2 yet
    expect(astra.keys.nodeKey.kid).toBe(k1);
    await dn.install('astra', v2.body);
    expect(astra.keys.nodeKey.kid).toBe(k2);
    expect(secretOf('astra', k1)).toBeNull(); // the old private half is gone at the switch
    expect(astra.keys.nodeKeys().map((k) => [k.kid, k.state])).toEqual([[k2, 'active'], [k1, 'retired']]);
    expect(ctxOf('lefoe-ibf').peers.key('node:astra', k2)).toBeUndefined();
    // what K1 signed here stays readable after the switch
    const read = await fetch(`${astraNode?.url}/api/v1/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${astraNode?.token}` } });
    expect(read.status).toBe(200);
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(certificateBytes);
    t.burst('b4'); // K2 from ASTRA
    await dn.net.drain();
    // LEFÖ-IBF cannot verify K2 yet: ASTRA retries instead of failing (nothing failed, nothing lost)
    const failed = astra.handle.sqlite.prepare(`SELECT count(*) AS n FROM outbox_item WHERE state = 'failed'`).get() as { n: number };
    expect(failed.n).toBe(0);
    const waiting = astra.handle.sqlite.prepare(`SELECT count(*) AS n FROM outbox_item WHERE "to" = 'node:lefoe-ibf' AND state = 'queued'`).get() as { n: number };
    expect(waiting.n).toBeGreaterThan(0);
    dn.net.healBetween('open-gate', 'lefoe-ibf');

    expect((await dn.api('lefoe-ibf', 'POST', '/api/v1/directory/sync', {})).json).toMatchObject({ outcome: 'updated', version: 2 });
    expect(ctxOf('lefoe-ibf').peers.key('node:astra', k2)).toBeDefined();
    dn.net.clock.advance({ ms: 7 * 3600 * 1000 }); // past the retry cap
    await dn.net.drain();
    t.burst('b5');
    await dn.net.drain();
    t.expectAllDelivered();
    expect(t.sent()).toBe(5 * 6);

    // the audit log's checkpoints, signed by K1 before the switch and by K2 after, all still verify
    const verified = await dn.api('astra', 'POST', '/api/v1/audit/verify', {});
    expect(verified.json).toMatchObject({ ok: true, problem: null });
    const signers = (astra.handle.sqlite.prepare('SELECT signed FROM audit_checkpoint').all() as { signed: string }[]).map((r) => (JSON.parse(r.signed) as { kid: string }).kid);
    expect(new Set(signers)).toEqual(new Set([k1, k2]));
    // the retired key's certificate stays published until what it signed has expired, then is dropped
    expect(astra.keys.publishedCertificates(nowS()).map((c) => c.key.kid)).toEqual([k2, k1]);
    dn.net.clock.advance({ ms: (RETIRED_CERTIFICATE_SECONDS + 60) * 1000 });
    expect(astra.keys.publishedCertificates(nowS()).map((c) => c.key.kid)).toEqual([k2]);
    astra.directory.own.resubmitOwn({ nowMs: dn.net.clock.now() });
    const bundle = (await dn.api('astra', 'GET', '/api/v1/directory/bundle')).json as { submissions: string[] };
    const submitted = JSON.parse(Buffer.from(bundle.submissions[0] ?? '', 'base64url').toString('utf8')) as { entry: { nodes: { nodeKeys: { key: { kid: string } }[] }[] } };
    expect(submitted.entry.nodes[0]?.nodeKeys.map((c) => c.key.kid)).toEqual([k2]);
  });

  it('on schedule: a key that has signed for the configured days gets a pending successor, once', async () => {
    await genesis();
    const astra = ctxOf('astra');
    expect(astra.keyLifecycle.tick(dn.net.clock.now())).toBeNull();
    dn.net.clock.advance({ ms: 181 * DAY * 1000 });
    const due = astra.keyLifecycle.tick(dn.net.clock.now());
    expect(due).toMatchObject({ created: true });
    expect(astra.keys.nodeKeys().filter((k) => k.state === 'pending').map((k) => k.kid)).toEqual([due?.pending]);
    expect(astra.keyLifecycle.tick(dn.net.clock.now())).toBeNull();
  });
});
