import { afterEach, describe, expect, it } from 'vitest';
import { type TestNetwork, startNetwork } from '../helpers/network.js';

let net: TestNetwork;
afterEach(async () => {
  await net?.close();
});

const DAY = 24 * 3600;
const rows = (n: TestNetwork, name: string) => n.nodes[name]!.node.ctx.outbox.list(10_000);
const referrals = (n: TestNetwork, name: string) => n.nodes[name]!.node.ctx.inbox.messages(0, 10_000).filter((m) => m.typ.includes('/referral/'));

describe('a peer offline for days', () => {
  it('ASTRA cut off for 5 days gets everything afterwards, in order per thread; nothing is lost', async () => {
    net = await startNetwork(['lefoe', 'astra']);
    net.partition('astra');
    const thread = net.send('lefoe', 'astra', { summary: 'first' });
    const sent = [thread];
    for (let i = 0; i < 4; i++) sent.push(net.send('lefoe', 'astra', { thid: thread, summary: `update ${i}` }));
    const other = net.send('lefoe', 'astra', { summary: 'another referral' });

    for (let day = 0; day < 5; day++) {
      for (let hour = 0; hour < 24; hour += 2) {
        net.clock.advance({ hours: 2 });
        await net.drain();
      }
    }
    // every attempt failed, but nothing is dropped: still queued, and flagged after 24 h
    expect(rows(net, 'lefoe').filter((r) => r.state === 'queued').length).toBe(6);
    const overdue = net.nodes.lefoe!.node.ctx.outbox.overdue(net.clock.now()).map((r) => r.id);
    expect(overdue.sort()).toEqual([...sent, other].sort());
    // only the head of the thread was ever tried: the rest wait their turn
    const byId = new Map(rows(net, 'lefoe').map((r) => [r.id, r]));
    expect(byId.get(thread)!.attempts).toBeGreaterThan(1);
    for (const id of sent.slice(1)) expect(byId.get(id)!.attempts).toBe(0);

    // ASTRA comes back; backoff may have pushed the next attempt hours away. The first contact
    // from ASTRA (any authenticated request) wakes LEFÖ-IBF's backlog for it at once.
    net.heal('astra');
    const hello = net.send('astra', 'lefoe', { summary: 'back online' });
    await net.drain();
    expect(rows(net, 'astra').find((r) => r.id === hello)?.state).toBe('acknowledged');
    // acks themselves are not acknowledged: they end `delivered`
    expect(rows(net, 'lefoe').filter((r) => !r.typ.endsWith('/ack') && r.state !== 'acknowledged')).toEqual([]);
    const got = referrals(net, 'astra');
    expect(got.filter((m) => m.thid === thread).map((m) => m.id)).toEqual(sent);
    expect(got.map((m) => m.id).sort()).toEqual([...sent, other].sort());
  });

  it('a message whose expiry passes while the peer is away ends `expired`, visible, not lost', async () => {
    net = await startNetwork(['open-gate', 'astra']);
    net.partition('astra');
    const shortLived = net.send('open-gate', 'astra', { lifetime: 2 * DAY });
    const longLived = net.send('open-gate', 'astra', { lifetime: 30 * DAY });
    for (let i = 0; i < 4 * 12; i++) {
      net.clock.advance({ hours: 2 });
      await net.drain();
    }
    const byId = new Map(rows(net, 'open-gate').map((r) => [r.id, r]));
    expect(byId.get(shortLived)?.state).toBe('expired');
    expect(byId.get(longLived)?.state).toBe('queued');
    expect(net.nodes['open-gate']!.node.ctx.outbox.overdue(net.clock.now()).map((r) => r.id)).toContain(shortLived);

    net.heal('astra');
    net.clock.advance({ hours: 7 }); // past the largest backoff
    await net.drain();
    expect(referrals(net, 'astra').map((m) => m.id)).toEqual([longLived]);
    expect(new Map(rows(net, 'open-gate').map((r) => [r.id, r.state])).get(shortLived)).toBe('expired');
  });
});
