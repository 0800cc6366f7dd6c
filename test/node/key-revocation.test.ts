import { afterEach, describe, expect, it } from 'vitest';
import { SigningKey, type VerifiedPrekey, createMessage, deliverEnvelope, messageType, open, randomBytes, seal, toBase64Url } from '../../protocol/index.js';
import { type DirectoryNetwork, startDirectoryNetwork } from '../helpers/directory-network.js';
import { traffic } from '../helpers/key-traffic.js';
import { offerBody } from '../helpers/messages.js';

/**
 * A leaked node key revoked through the directory, over three real nodes: the operator revokes
 * ASTRA's key (`POST /api/v1/admin/keys/revoke`), which signs the revocation and a successor
 * into ASTRA's entry; once the stewards publish, every node refuses what the thief signs with
 * the leaked key (backdated or not), ASTRA goes on with its new key without a gap, and messages
 * accepted earlier that the key signed after `compromisedSince` are flagged, not deleted.
 */

const NAMES = ['open-gate', 'astra', 'lefoe-ibf'];
let dn: DirectoryNetwork;

afterEach(async () => {
  await dn?.close();
});

const ctxOf = (name: string) => {
  const n = dn.net.nodes[name];
  if (!n) throw new Error(name);
  return n.node.ctx;
};
const nowS = () => Math.floor(dn.net.clock.now() / 1000);

async function genesis() {
  dn = await startDirectoryNetwork(NAMES);
  for (const name of NAMES) await dn.submitOwn(name);
  const v1 = await dn.publish({ from: NAMES, expiresInDays: 60 });
  for (const name of NAMES) await dn.install(name, v1.body);
  for (const name of NAMES) await ctxOf(name).directory.sync.fetchPrekeys();
}

/** the thief's envelope to `target`, signed with the leaked key, sealed to the target's prekey, sent with a request signed by the leaked key */
async function thiefSends(leaked: SigningKey, target: string, createdMs: number, astraPrekey: VerifiedPrekey) {
  // the target's prekey as any peer sees it; for ASTRA, the one the thief saw before the revocation
  const prekey = target === 'astra' ? astraPrekey : ctxOf('astra').peers.prekeyFor(`node:${target}`, nowS()).prekey;
  const inner = createMessage({ typ: messageType('referral', 'offer'), from: 'node:astra', kid: leaked.kid, to: `node:${target}`, dir: ctxOf(target).directory.ref(), body: offerBody('forged') }, createdMs);
  const { envelope } = seal(inner, leaked, prekey, { maxBytes: 4 * 1024 * 1024 });
  const url = dn.net.nodes[target]?.url ?? '';
  const outcome = await deliverEnvelope({
    fetch,
    baseUrl: url,
    envelope,
    id: inner.id,
    from: 'node:astra',
    to: `node:${target}`,
    signer: leaked,
    receiverKeys: (kid) => ctxOf('astra').peers.key(`node:${target}`, kid),
    now: nowS(),
    nonce: toBase64Url(randomBytes(16)),
    timeoutMs: 5000,
  });
  return { envelope, outcome, id: inner.id };
}

describe('revocation of a leaked node key', () => {
  it('after the stewards publish the revocation, each of the three nodes refuses the leaked key; ASTRA goes on with its new key', async () => {
    await genesis();
    const t = traffic(dn, NAMES);
    const astra = ctxOf('astra');
    const k1 = astra.keys.nodeKey.kid;
    // the thief copied the key (a stolen laptop): its private half as it sits in the database
    const seed = (astra.handle.sqlite.prepare(`SELECT secret FROM own_key WHERE kid = ?`).get(k1) as { secret: Buffer }).secret;
    const leaked = SigningKey.fromSeed('node', new Uint8Array(seed));
    const compromisedSince = nowS() + 600; // the laptop went missing ten minutes after the start
    dn.net.clock.advance({ hours: 1 });
    t.burst('before');
    await dn.net.drain();
    t.expectAllDelivered();
    const acceptedBefore = new Map(['open-gate', 'lefoe-ibf'].map((n) => [n, (ctxOf(n).handle.sqlite.prepare(`SELECT id FROM message WHERE sender = 'node:astra' AND senderKid = ? AND created >= ?`).all(k1, compromisedSince) as { id: string }[]).map((r) => r.id)]));

    const astraPrekey = ctxOf('open-gate').peers.prekeyFor('node:astra', nowS()).prekey;
    dn.net.clock.advance({ hours: 2 });
    const revoked = await dn.api('astra', 'POST', '/api/v1/admin/keys/revoke', { kid: k1, compromisedSince, reason: 'device-lost' });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ revoked: k1, compromisedSince, pending: expect.stringMatching(/^nsk-/) });
    const k2 = revoked.json.pending as string;
    // twice is refused, nothing written
    expect((await dn.api('astra', 'POST', '/api/v1/admin/keys/revoke', { kid: k1, compromisedSince })).json).toMatchObject({ error: { code: 'InvalidRequest' } });

    const v2 = await dn.publish({ from: ['astra'] });
    for (const name of NAMES) expect((await dn.install(name, v2.body)).json).toMatchObject({ outcome: 'installed', version: 2 });
    expect(astra.keys.nodeKey.kid).toBe(k2);
    // the peers forgot ASTRA's prekeys signed by K1 and fetched the new ones (signed by K2) with the install
    for (const n of ['open-gate', 'lefoe-ibf']) {
      const rows = ctxOf(n).handle.sqlite.prepare(`SELECT certificate FROM peer_prekey WHERE node = 'node:astra'`).all() as { certificate: string }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => (JSON.parse(r.certificate) as { signer: string }).signer)).toEqual(rows.map(() => k2));
    }
    for (const n of ['open-gate', 'lefoe-ibf']) expect(ctxOf(n).peers.key('node:astra', k1)).toMatchObject({ compromisedSince, revokedAt: expect.any(Number) });

    // the thief's messages: now, and backdated to before compromisedSince
    for (const createdMs of [dn.net.clock.now(), (compromisedSince - 60) * 1000]) {
      for (const target of ['open-gate', 'lefoe-ibf', 'astra']) {
        const { envelope, outcome } = await thiefSends(leaked, target, createdMs, astraPrekey);
        // the request signature by a revoked key is refused before anything is stored (401, the peer is not told why)
        expect(outcome, `${target} refuses the request`).toMatchObject({ kind: 'permanent', status: 401, code: 'Unauthenticated' });
        if (target === 'astra') continue; // ASTRA never accepts its own node as a peer
        // and the envelope, had it come another way, does not open: KeyRevoked
        const ctx = ctxOf(target);
        const opened = open(envelope, { self: `node:${target}`, now: nowS(), prekey: (kid) => ctx.keys.heldPrekey(kid), senderKey: (n, kid) => ctx.peers.key(n, kid) });
        expect(opened, `${target} refuses the envelope`).toMatchObject({ ok: false, code: 'KeyRevoked' });
      }
    }
    for (const name of NAMES) expect(ctxOf(name).inbox.counts().stored ?? 0).toBe(0);

    // honest traffic goes on: ASTRA signs with K2, both ways
    t.burst('after');
    await dn.net.drain();
    t.expectAllDelivered();

    // what the nodes accepted from K1 after compromisedSince is kept, and flagged for the operator
    for (const [n, ids] of acceptedBefore) {
      expect(ids.length).toBeGreaterThan(0);
      const flagged = (ctxOf(n).handle.sqlite.prepare(`SELECT messageId FROM alert WHERE kind = 'signed-after-compromise' AND peer = 'node:astra'`).all() as { messageId: string }[]).map((r) => r.messageId);
      expect(flagged.sort()).toEqual([...ids].sort());
      const kept = ctxOf(n).handle.sqlite.prepare(`SELECT count(*) AS n FROM message WHERE sender = 'node:astra' AND senderKid = ?`).get(k1) as { n: number };
      expect(kept.n).toBe(ids.length);
      // flagged once: installing again or a later version does not repeat the alerts
      expect(ctxOf(n).keyLifecycle.flagSignedAfterCompromise(dn.net.clock.now())).toBe(0);
    }
  });

  it('bad input: an unknown key, a time in the future, a wrong shape: a typed refusal naming the field, nothing signed', async () => {
    await genesis();
    const astra = ctxOf('astra');
    const before = astra.directory.store.submissions().length;
    const kid = astra.keys.nodeKey.kid;
    const cases: [unknown, number, string][] = [
      [{ kid: 'nsk-AAAAAAAAAAAAAAAA', compromisedSince: nowS() }, 404, 'NotFound'],
      [{ kid, compromisedSince: nowS() + 86_400 }, 400, 'InvalidRequest'],
      [{ kid, compromisedSince: 'yesterday' }, 400, 'InvalidRequest'],
      [{ kid: 'astra', compromisedSince: nowS() }, 400, 'InvalidRequest'],
      [{ kid, compromisedSince: nowS(), reason: 'bored' }, 400, 'InvalidRequest'],
      [{ compromisedSince: nowS() }, 400, 'InvalidRequest'],
    ];
    for (const [body, status, code] of cases) {
      const res = await dn.api('astra', 'POST', '/api/v1/admin/keys/revoke', body);
      expect(res, JSON.stringify(body)).toMatchObject({ status, json: { error: { code } } });
      expect(JSON.stringify(res.json)).not.toContain('yesterday');
    }
    expect(astra.directory.store.submissions().length).toBe(before);
    expect(astra.keys.nodeKeys()).toHaveLength(1);
  });
});
