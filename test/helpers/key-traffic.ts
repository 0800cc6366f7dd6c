import { expect } from 'vitest';
import { messageType } from '../../protocol/index.js';
import type { DirectoryNetwork } from './directory-network.js';

/**
 * A steady stream of referral offers in every direction of a directory network, and the check
 * that every one of them arrived exactly once: in the receiver's messages once, delivered at the
 * sender, nothing rejected, quarantined or failed anywhere.
 */

const OFFER = messageType('referral', 'offer');

export interface Traffic {
  /** one offer from every node to every other; returns how many */
  burst(tag: string, only?: string[]): number;
  /** every offer sent so far was received exactly once and delivered */
  expectAllDelivered(): void;
  sent(): number;
}

export function traffic(dn: DirectoryNetwork, names: string[]): Traffic {
  const expected = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  const ctxOf = (name: string) => {
    const n = dn.net.nodes[name];
    if (!n) throw new Error(name);
    return n.node.ctx;
  };
  return {
    burst(tag, only = names) {
      let count = 0;
      for (const from of only) {
        for (const to of names) {
          if (from === to) continue;
          const id = dn.net.send(from, to, { summary: `${tag} ${from} → ${to}` });
          expected.get(to)?.add(`node:${from}|${id}`);
          count++;
        }
      }
      return count;
    },
    expectAllDelivered() {
      for (const name of names) {
        const ctx = ctxOf(name);
        const got = ctx.handle.sqlite.prepare(`SELECT sender, id FROM message WHERE typ = ?`).all(OFFER) as { sender: string; id: string }[];
        const received = got.map((r) => `${r.sender}|${r.id}`);
        expect(new Set(received).size, `${name}: no message twice`).toBe(received.length);
        expect(received.sort(), `${name}: every offer sent to it, once`).toEqual([...(expected.get(name) ?? [])].sort());
        expect(ctx.inbox.counts().rejected ?? 0, `${name}: nothing rejected`).toBe(0);
        expect((ctx.handle.sqlite.prepare(`SELECT count(*) AS n FROM quarantine`).get() as { n: number }).n, `${name}: nothing quarantined`).toBe(0);
        const outbox = ctx.handle.sqlite.prepare(`SELECT state, count(*) AS n FROM outbox_item WHERE typ = ? GROUP BY state`).all(OFFER) as { state: string; n: number }[];
        const undelivered = outbox.filter((r) => r.state !== 'delivered' && r.state !== 'acknowledged');
        expect(undelivered, `${name}: every offer it sent delivered`).toEqual([]);
      }
    },
    sent: () => [...expected.values()].reduce((n, s) => n + s.size, 0),
  };
}
