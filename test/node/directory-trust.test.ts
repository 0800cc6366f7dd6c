import { afterEach, describe, expect, it } from 'vitest';
import {
  type DirectoryEntry,
  SigningKey,
  messageType,
  open,
  revokeNodeKey,
  sha256,
  signEntry,
  signVersion,
  toBase64Url,
} from '../../protocol/index.js';
import { type DirectoryNetwork, STEWARD_KEYS, startDirectoryNetwork } from '../helpers/directory-network.js';
import { offerBody } from '../helpers/messages.js';
import { orgKeyOf } from '../helpers/network.js';

/**
 * What a node refuses, over real nodes and their local API: an older version (rollback), one
 * signed by fewer stewards than the threshold, an entry not signed by its own organisation, a
 * mirror serving altered bytes; an expired version freezes new referrals while old messages
 * still verify; a revocation takes effect at every node with the next version.
 */

const NAMES = ['open-gate', 'astra', 'lefoe-ibf'];
let dn: DirectoryNetwork;

afterEach(async () => {
  await dn?.close();
});

async function genesis(expiresInDays = 30) {
  dn = await startDirectoryNetwork(NAMES);
  for (const name of NAMES) await dn.submitOwn(name);
  const v1 = await dn.publish({ from: NAMES, expiresInDays });
  for (const name of NAMES) await dn.install(name, v1.body);
  for (const name of NAMES) await dn.net.nodes[name]?.node.ctx.directory.sync.fetchPrekeys();
  return v1;
}

const status = async (name: string) => (await dn.api(name, 'GET', '/api/v1/directory')).json;
const ctxOf = (name: string) => {
  const n = dn.net.nodes[name];
  if (!n) throw new Error(name);
  return n.node.ctx;
};
const offer = { to: 'node:lefoe-ibf', typ: messageType('referral', 'offer'), body: {} as Record<string, unknown> };

describe('what a node refuses, and the freeze', () => {
  it('an older version is a rollback; a version signed by one steward of a 2-of-3 set is under-signed; nothing changes', async () => {
    const v1 = await genesis();
    await dn.submitOwn('astra', (p) => {
      p.description = 'changed';
    });
    const v2 = await dn.publish({ from: ['astra'] });
    expect((await dn.install('lefoe-ibf', v2.body)).json).toMatchObject({ outcome: 'installed', version: 2 });
    const rollback = await dn.install('lefoe-ibf', v1.body);
    expect(rollback).toMatchObject({ status: 409, json: { error: { code: 'DirectoryRollback' } } });

    await dn.submitOwn('astra', (p) => {
      p.description = 'changed again';
    });
    const v3 = await dn.publish({ from: ['astra'], signers: [STEWARD_KEYS[0]!] });
    expect(await dn.install('lefoe-ibf', v3.body)).toMatchObject({ status: 400, json: { error: { code: 'DirectoryUnderSigned' } } });
    // an outsider's signature does not count towards the threshold either
    const outsider = SigningKey.fromSeed('org', sha256(new TextEncoder().encode('outsider')));
    const forged = signVersion(v3.manifest, [STEWARD_KEYS[0]!, outsider]).signed;
    expect(await dn.install('lefoe-ibf', { ...v3.body, manifest: forged })).toMatchObject({ status: 400, json: { error: { code: 'DirectoryUnderSigned' } } });
    expect(await status('lefoe-ibf')).toMatchObject({ version: 2 });
  });

  it("an entry signed with another key than its organisation's is refused, even in a version the stewards signed", async () => {
    await genesis();
    const current = ctxOf('astra').directory.store.orgEntry('org:astra');
    if (!current) throw new Error('no entry');
    const entry: DirectoryEntry = { ...current.entry, seq: current.entry.seq + 1, name: 'ASTRA (forged)' };
    // the attacker signs with its own org key; the manifest keeps ASTRA's key for org:astra
    const attacker = SigningKey.fromSeed('org', sha256(new TextEncoder().encode('attacker')));
    const { bytes } = signEntry(attacker, entry);
    const held = ctxOf('astra').directory.store.current()?.manifest;
    if (!held) throw new Error('no manifest');
    const manifest = {
      ...held,
      version: 2,
      entries: held.entries.map((r) => (r.org === 'org:astra' ? { ...r, seq: entry.seq, hash: toBase64Url(sha256(bytes)), length: bytes.length } : r)),
    };
    const { signed } = signVersion(manifest, STEWARD_KEYS.slice(0, 2));
    const refused = await dn.install('lefoe-ibf', { manifest: signed, entries: [toBase64Url(bytes)] });
    expect(refused).toMatchObject({ status: 400, json: { error: { code: 'BadSignature' } } });
    expect(refused.json.error.message).toContain('org:astra');
    expect(await status('lefoe-ibf')).toMatchObject({ version: 1 });
  });

  it('a mirror serving altered entry bytes cannot install them: the refresh is refused and the good version stays', async () => {
    await genesis();
    await dn.submitOwn('astra', (p) => {
      p.description = 'honest change';
    });
    const v2 = await dn.publish({ from: ['astra'] });
    await dn.install('astra', v2.body);
    // ASTRA's database is tampered with: its own entry now says something else under the same hash
    const hash = ctxOf('astra').directory.store.current()?.manifest.entries.find((e) => e.org === 'org:astra')?.hash;
    const original = ctxOf('astra').directory.store.entryBytes(hash ?? '');
    if (!hash || !original) throw new Error('no entry');
    const altered = Buffer.from(original.toString('utf8').replace('honest change', 'HONEST CHANGE'), 'utf8');
    ctxOf('astra').handle.sqlite.prepare('UPDATE directory_entry SET bytes = ? WHERE hash = ?').run(altered, hash);

    dn.net.cutBetween('lefoe-ibf', 'open-gate');
    const result = (await dn.api('lefoe-ibf', 'POST', '/api/v1/directory/sync', { peer: 'node:astra' })).json;
    expect(result).toMatchObject({ outcome: 'refused', code: 'BadSignature', from: 'node:astra' });
    expect(await status('lefoe-ibf')).toMatchObject({ version: 1 });
    // once the link is back, the honest mirror is used
    dn.net.healBetween('lefoe-ibf', 'open-gate');
    await dn.install('open-gate', v2.body);
    expect((await dn.api('lefoe-ibf', 'POST', '/api/v1/directory/sync', {})).json).toMatchObject({ outcome: 'updated', version: 2, from: 'node:open-gate' });
  });

  it('an expired version freezes new referrals ("stale since"), while other messages flow and a message sent before still verifies', async () => {
    const v1 = await genesis(7);
    // an offer created while fresh, delivered after the expiry
    ctxOf('astra').messages.send({ ...offer, body: offerBody('before the expiry') });
    dn.net.clock.advance({ days: 8 });

    const s = await status('astra');
    expect(s).toMatchObject({ version: 1, fresh: false, staleSince: v1.manifest.expires });
    const frozen = await dn.api('astra', 'POST', '/api/v1/messages', { ...offer, body: { summary: 'x' } });
    expect(frozen).toMatchObject({ status: 409, json: { error: { code: 'DirectoryExpired' } } });
    expect(frozen.json.error.message).toContain(new Date(v1.manifest.expires * 1000).toISOString());
    expect(ctxOf('astra').outbox.counts()).toMatchObject({ queued: 1 });

    await dn.net.drain();
    const received = ctxOf('lefoe-ibf').inbox.counts();
    expect(received).toMatchObject({ processed: 1 });
    expect(received.rejected ?? 0).toBe(0);

    // a fresh version lifts the freeze
    await dn.submitOwn('astra', (p) => {
      p.description = 'renewed';
    });
    const v2 = await dn.publish({ from: ['astra'] });
    await dn.install('astra', v2.body);
    expect(await status('astra')).toMatchObject({ version: 2, fresh: true, staleSince: null });
    const lifted = await dn.api('astra', 'POST', '/api/v1/messages', { ...offer, body: offerBody('renewed') });
    expect(lifted.status).toBe(202);
  });

  it('a revoked node key is refused at every other node once the next version carries the revocation', async () => {
    await genesis();
    const astra = ctxOf('astra');
    const now = Math.floor(dn.net.clock.now() / 1000);
    const current = astra.directory.store.orgEntry('org:astra');
    if (!current) throw new Error('no entry');
    const node = current.entry.nodes[0];
    if (!node) throw new Error('no node');
    const revocation = revokeNodeKey(orgKeyOf('astra'), 'org:astra', { node: 'node:astra', kid: astra.keys.nodeKey.kid, compromisedSince: now - 3600, revokedAt: now, reason: 'compromised' });
    const entry: DirectoryEntry = { ...current.entry, seq: current.entry.seq + 1, updated: now, nodes: [{ ...node, revocations: [revocation] }] };
    const { bytes, ref } = signEntry(orgKeyOf('astra'), entry);
    astra.directory.store.submit({ org: 'org:astra', seq: entry.seq, hash: ref.hash, bytes }, dn.net.clock.now());
    const v2 = await dn.publish({ from: ['astra'] });
    await dn.install('open-gate', v2.body);
    expect((await dn.api('lefoe-ibf', 'POST', '/api/v1/directory/sync', {})).json).toMatchObject({ outcome: 'updated', version: 2 });

    for (const target of ['lefoe-ibf', 'open-gate']) {
      expect(ctxOf(target).peers.key('node:astra', astra.keys.nodeKey.kid)?.compromisedSince).toBe(now - 3600);
      dn.net.send('astra', target);
    }
    await dn.net.drain();
    // the request signature already fails (401): nothing is stored, nothing delivered
    for (const target of ['lefoe-ibf', 'open-gate']) expect(ctxOf(target).inbox.counts()).toEqual({});
    expect(astra.outbox.counts().delivered ?? 0).toBe(0);
    // and an envelope signed with the revoked key, brought by another way, does not open
    const row = astra.handle.sqlite.prepare(`SELECT envelope FROM outbox_item WHERE "to" = 'node:open-gate'`).get() as { envelope: Buffer };
    const og = ctxOf('open-gate');
    const opened = open(new Uint8Array(row.envelope), { self: 'node:open-gate', now, prekey: (kid) => og.keys.heldPrekey(kid), senderKey: (n, kid) => og.peers.key(n, kid) });
    expect(opened).toMatchObject({ ok: false, code: 'KeyRevoked' });
    // the directory itself still verifies ASTRA's entries: reading goes on
    expect((await dn.api('lefoe-ibf', 'GET', '/api/v1/directory/orgs/org:astra')).json.nodes[0].keys[0]).toMatchObject({ compromisedSince: now - 3600, revokedAt: now });
  });
});
