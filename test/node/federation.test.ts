import { afterEach, describe, expect, it } from 'vitest';
import { ENVELOPE_MEDIA_TYPE, messageType, sha256, signRequest, toBase64Url, verifyReceipt } from '../../protocol/index.js';
import { type TestNetwork, startNetwork } from '../helpers/network.js';

let net: TestNetwork;
afterEach(async () => {
  await net?.close();
});

const outboxRow = (n: TestNetwork, name: string, id: string) => n.nodes[name]!.node.ctx.outbox.list(10_000).find((r) => r.id === id);
const received = (n: TestNetwork, name: string) => n.nodes[name]!.node.ctx.inbox.messages(0, 10_000);

describe('two and three real nodes over HTTP', () => {
  it('Open Gate sends a referral offer to ASTRA: stored, receipt verified, opened, acknowledged', async () => {
    net = await startNetwork(['open-gate', 'astra']);
    const id = net.send('open-gate', 'astra');
    expect(outboxRow(net, 'open-gate', id)?.state).toBe('queued');
    await net.drain();

    const row = outboxRow(net, 'open-gate', id);
    expect(row?.state).toBe('acknowledged');
    const receipt = JSON.parse(net.nodes['open-gate']!.node.ctx.outbox.receipt(id)!);
    const astraKey = net.nodes['open-gate']!.node.ctx.peers.keys('node:astra')[0]!;
    expect(verifyReceipt(receipt, astraKey)).toMatchObject({ ok: true, value: { id, from: 'node:open-gate', to: 'node:astra' } });

    const got = received(net, 'astra');
    expect(got.map((m) => m.id)).toEqual([id]);
    expect(got[0]).toMatchObject({ sender: 'node:open-gate', typ: messageType('referral', 'offer') });
    // the ack travelled back and was opened at Open Gate
    expect(received(net, 'open-gate').map((m) => m.typ)).toEqual([messageType('message', 'ack')]);
  });

  it('three nodes: the relay Open Gate → ASTRA → LEFÖ-IBF and back, every message exactly once', async () => {
    net = await startNetwork(['open-gate', 'astra', 'lefoe']);
    const a = net.send('open-gate', 'astra');
    const b = net.send('astra', 'lefoe');
    const c = net.send('lefoe', 'open-gate');
    const d = net.send('lefoe', 'astra');
    await net.drain();
    expect(received(net, 'astra').filter((m) => m.typ.includes('referral')).map((m) => m.id).sort()).toEqual([a, d].sort());
    expect(received(net, 'lefoe').filter((m) => m.typ.includes('referral')).map((m) => m.id)).toEqual([b]);
    expect(received(net, 'open-gate').filter((m) => m.typ.includes('referral')).map((m) => m.id)).toEqual([c]);
    for (const [name, id] of [['open-gate', a], ['astra', b], ['lefoe', c], ['lefoe', d]] as const) expect(outboxRow(net, name, id)?.state).toBe('acknowledged');
  });

  it('the same envelope again gets the same receipt; other bytes under the same id get 409 and an alert', async () => {
    net = await startNetwork(['open-gate', 'astra']);
    const id = net.send('open-gate', 'astra');
    await net.drain();
    const sender = net.nodes['open-gate']!.node.ctx;
    const envelope = sender.handle.sqlite.prepare('SELECT envelope FROM outbox_item WHERE id = ?').get(id) as { envelope: Buffer };
    const put = async (bytes: Uint8Array) => {
      const url = `${net.nodes.astra!.url}/federation/v1/inbox/${id}`;
      const headers = signRequest({ method: 'PUT', url, contentType: ENVELOPE_MEDIA_TYPE, body: bytes, key: sender.keys.nodeKey, node: 'node:open-gate', created: Math.floor(net.clock.now() / 1000), nonce: toBase64Url(sha256(bytes)).slice(0, 22) + Math.random().toString(36).slice(2, 8) });
      return fetch(url, { method: 'PUT', headers, body: bytes });
    };
    const again = await put(new Uint8Array(envelope.envelope));
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(sender.outbox.receipt(id));

    const other = Uint8Array.from(envelope.envelope);
    other[other.length - 1] = (other[other.length - 1] ?? 0) ^ 1;
    const conflict = await put(other);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: 'IdConflict' } });
    expect(net.nodes.astra!.node.ctx.inbox.alerts().map((a) => a.kind)).toContain('id-conflict');
    expect(received(net, 'astra').filter((m) => m.id === id)).toHaveLength(1);
  });

  it('an envelope that is stored but does not open is rejected, alerted, and the sender gets a problem report with the code', async () => {
    net = await startNetwork(['open-gate', 'astra']);
    const sender = net.nodes['open-gate']!.node.ctx;
    const prepared = sender.messages.prepare({ to: 'node:astra', typ: messageType('referral', 'offer'), body: (await import('../helpers/messages.js')).offerBody() });
    sender.handle.sqlite.transaction(() => prepared.enqueue()).immediate();
    const row = sender.handle.sqlite.prepare('SELECT envelope FROM outbox_item WHERE id = ?').get(prepared.id) as { envelope: Buffer };
    // damage the ciphertext in the stored outbox row: the transport accepts it, opening fails
    const damaged = Buffer.from(row.envelope);
    damaged[damaged.length - 5] = (damaged[damaged.length - 5] ?? 0) ^ 0x40;
    sender.handle.sqlite.prepare('UPDATE outbox_item SET envelope = ?, ctSha256 = ? WHERE id = ?').run(damaged, toBase64Url(sha256(damaged)), prepared.id);
    await net.drain();

    expect(outboxRow(net, 'open-gate', prepared.id)?.state).toBe('delivered');
    const astra = net.nodes.astra!.node.ctx;
    expect(astra.inbox.counts()).toMatchObject({ rejected: 1 });
    expect(astra.inbox.alerts().find((a) => a.messageId === prepared.id)).toMatchObject({ kind: 'envelope-rejected', code: 'DecryptFailed' });
    expect(received(net, 'astra').filter((m) => m.id === prepared.id)).toEqual([]);
    const reports = received(net, 'open-gate').filter((m) => m.typ === messageType('message', 'problem-report'));
    expect(reports).toHaveLength(1);
    expect(sender.inbox.messageBody('node:astra', reports[0]!.id)).toMatchObject({ code: 'DecryptFailed', about: prepared.id });
  });
});
