import { afterEach, describe, expect, it } from 'vitest';
import { MerkleAccumulator, messageType, randomBytes, signRequest, toBase64Url, verifyCheckpoint } from '../../protocol/index.js';
import { packFrontier } from '../../node/audit/log.js';
import { type TestNetwork, startNetwork } from '../helpers/network.js';

/**
 * Cross-witnessing over real nodes: ASTRA's receipts carry its signed checkpoint; Open Gate keeps
 * the latest and checks each newer one with a consistency proof fetched from ASTRA. When ASTRA's
 * log is rewritten (entries deleted and others appended, re-signed with its own key, so its own
 * `audit verify` passes), Open Gate detects the fork and raises `audit-fork`.
 */

let net: TestNetwork;
afterEach(async () => {
  await net?.close();
});

const ctxOf = (name: string) => net.nodes[name]!.node.ctx;
const witnessOf = (holder: string, of: string) => ctxOf(holder).audit.witnesses().find((w) => w.node === `node:${of}`);
const deliver = async () => {
  net.send('open-gate', 'astra');
  await net.drain();
};

describe('witnesses', () => {
  it('an honest partner stays consistent; a rewritten log is detected as a fork', async () => {
    net = await startNetwork(['open-gate', 'astra']);
    await deliver();
    await expect.poll(() => witnessOf('open-gate', 'astra')?.size).toBeGreaterThan(0);
    // ASTRA's log grows (its own acks, views...); the next receipt is checked against the held one
    for (let i = 0; i < 3; i++) {
      net.send('astra', 'open-gate');
      await net.drain();
      const held = witnessOf('open-gate', 'astra')!.size;
      await deliver();
      await expect.poll(() => witnessOf('open-gate', 'astra')!.size).toBeGreaterThan(held);
      expect(witnessOf('open-gate', 'astra')!.verdict).toBe('consistent');
    }
    expect(ctxOf('open-gate').inbox.alerts(20).some((a) => a.kind === 'audit-fork')).toBe(false);

    // ASTRA rewrites its history: the last 3 entries deleted, the frontier rebuilt, others appended
    const astra = ctxOf('astra');
    const sqlite = astra.handle.sqlite;
    const held = witnessOf('open-gate', 'astra')!.size;
    const keep = held - 3;
    sqlite.transaction(() => {
      sqlite.prepare('DELETE FROM audit_entry WHERE seq >= ?').run(keep);
      sqlite.prepare('DELETE FROM audit_checkpoint WHERE size > ?').run(keep);
      const acc = new MerkleAccumulator();
      for (const leaf of astra.audit.leafHashes(keep)) acc.append(leaf);
      sqlite.prepare('UPDATE audit_frontier SET size = ?, frontier = ? WHERE one = 1').run(acc.size, packFrontier(acc.frontier()));
      for (let i = 0; i < 5; i++) astra.audit.record({ kind: 'directory-updated', subject: { directoryVersion: 1 + i } });
    })();
    // its own verify cannot see it: the node re-signed its own rewritten history
    const verified = await fetch(`${net.nodes.astra!.url}/api/v1/audit/verify`, { method: 'POST', headers: { authorization: `Bearer ${net.nodes.astra!.node.localToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(((await verified.json()) as { ok: boolean }).ok).toBe(true);

    await deliver();
    await expect.poll(() => witnessOf('open-gate', 'astra')!.verdict).toBe('forked');
    const alert = ctxOf('open-gate').inbox.alerts(20).find((a) => a.kind === 'audit-fork');
    expect(alert).toMatchObject({ kind: 'audit-fork', peer: 'node:astra' });
    // the witness keeps the checkpoint it held: the evidence of what ASTRA signed before
    expect(witnessOf('open-gate', 'astra')!.size).toBe(held);
    // the status shows it
    const status = await fetch(`${net.nodes['open-gate']!.url}/api/v1/status`, { headers: { authorization: `Bearer ${net.nodes['open-gate']!.node.localToken}` } });
    expect(JSON.stringify(await status.json())).toContain('audit-fork');
  });

  it('acks carry the acknowledging node\'s signed checkpoint too', async () => {
    net = await startNetwork(['open-gate', 'astra']);
    await deliver();
    const acks = ctxOf('open-gate').inbox.messages(0, 100).filter((m) => m.typ === messageType('message', 'ack'));
    expect(acks.length).toBeGreaterThan(0);
    const body = JSON.parse((ctxOf('open-gate').handle.sqlite.prepare('SELECT body FROM message WHERE id = ?').get(acks[0]!.id) as { body: string }).body) as { checkpoint?: unknown };
    const checked = verifyCheckpoint(body.checkpoint, ctxOf('open-gate').peers.keys('node:astra')[0]!);
    expect(checked).toMatchObject({ ok: true, value: { log: 'node:astra' } });
  });

  it('the consistency route: members only, sizes by name, nothing beyond the log', async () => {
    net = await startNetwork(['open-gate', 'astra']);
    await deliver();
    const astra = net.nodes.astra!;
    const signer = ctxOf('open-gate').keys.nodeKey;
    const get = async (query: string, signed = true) => {
      const url = `${astra.url}/federation/v1/audit/consistency${query}`;
      const headers = signed ? signRequest({ method: 'GET', url, contentType: 'application/json', body: new Uint8Array(0), key: signer, node: 'node:open-gate', created: Math.floor(net.clock.now() / 1000), nonce: toBase64Url(randomBytes(16)) }) : {};
      const { 'content-length': _l, ...sent } = headers as Record<string, string>;
      const res = await fetch(url, { headers: sent });
      return { status: res.status, json: (await res.json()) as { error?: { code: string; issues?: { path: string }[] }; proof?: string[] } };
    };
    const size = ctxOf('astra').audit.size();
    expect(size).toBeGreaterThan(2);
    expect((await get(`?from=1&to=${size}`, false)).status).toBe(401);
    const good = await get(`?from=1&to=${size}`);
    expect(good.status).toBe(200);
    expect(good.json.proof!.length).toBeGreaterThan(0);
    const bad = await get('?from=x&to=-1');
    expect(bad.status).toBe(400);
    expect(bad.json.error!.issues!.map((i) => i.path)).toEqual(['from', 'to']);
    expect(JSON.stringify(bad.json)).not.toContain('-1');
    expect((await get('?from=3&to=2')).json.error!.issues!.map((i) => i.path)).toEqual(['from']);
    expect((await get(`?from=1&to=${size + 100}`)).status).toBe(404);
  });
});
