import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../node/db/client.js';
import { TEST_DATABASE_KEY } from '../helpers/node-db.js';
import { loadOwnKeys } from '../../node/services/keys.js';
import { orgKeyOf } from '../helpers/network.js';
import { DAY, T0 } from '../helpers/time.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function keysAt(now: number) {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-keys-'));
  dirs.push(dir);
  const handle = openDb(join(dir, 'corridor.db'), { key: TEST_DATABASE_KEY });
  return { handle, keys: loadOwnKeys(handle.db, { node: 'node:astra', org: 'org:astra', orgKey: () => orgKeyOf('astra'), nowSeconds: now }) };
}

describe("the node's own keys", () => {
  it('first start: a node key certified for a year and a 28-day prekey; a restart loads the same keys', () => {
    const { handle, keys } = keysAt(T0);
    expect(keys.trusted.notAfter - keys.trusted.notBefore).toBeGreaterThanOrEqual(365 * DAY);
    const prekey = keys.currentPrekey();
    expect(prekey.notAfter - prekey.notBefore).toBeGreaterThanOrEqual(28 * DAY);
    const again = loadOwnKeys(handle.db, { node: 'node:astra', org: 'org:astra', orgKey: () => { throw new Error('the org key is not needed again'); }, nowSeconds: T0 + 60 });
    expect(again.nodeKey.kid).toBe(keys.nodeKey.kid);
    expect(again.currentPrekey().kid).toBe(prekey.kid);
    handle.close();
  });

  it('rotates prekeys a week before they end, and wipes one 90 days after it ended', () => {
    const { handle, keys } = keysAt(T0);
    const first = keys.currentPrekey().kid;
    expect(keys.rotate(T0 + 20 * DAY).created).toBeNull();
    const second = keys.rotate(T0 + 22 * DAY).created;
    expect(second).not.toBeNull();
    expect(keys.currentPrekey().kid).toBe(second);
    expect(keys.heldPrekey(first)).toBeDefined(); // still opens what was sealed to it
    const destroyed = keys.rotate(T0 + (28 + 91) * DAY).destroyed;
    expect(destroyed).toContain(first);
    expect(keys.heldPrekey(first)).toBeUndefined();
    handle.close();
  });

  it('near and past the end of the node key, rotation neither throws nor piles up prekeys', () => {
    const { handle, keys } = keysAt(T0);
    const end = keys.trusted.notAfter;
    const created: (string | null)[] = [];
    for (let t = end - 10 * DAY; t <= end + 3 * DAY; t += DAY / 4) created.push(keys.rotate(t).created);
    expect(created.filter((c) => c !== null).length).toBeLessThanOrEqual(1);
    // and the node still starts after its key expired (an operator must rotate it, but it runs)
    expect(() => loadOwnKeys(handle.db, { node: 'node:astra', org: 'org:astra', orgKey: () => orgKeyOf('astra'), nowSeconds: end + 5 * DAY })).not.toThrow();
    handle.close();
  });

  it('node keys: a database from before rotation has its one key active; a pending key waits, then the switch wipes the old private half and survives a restart', () => {
    const { handle, keys } = keysAt(T0);
    const k1 = keys.nodeKey.kid;
    handle.sqlite.prepare(`UPDATE own_key SET activatedAt = NULL WHERE kind = 'node'`).run();
    const old = loadOwnKeys(handle.db, { node: 'node:astra', org: 'org:astra', orgKey: () => orgKeyOf('astra'), nowSeconds: T0 + 60 });
    expect(old.nodeKeys().map((k) => [k.kid, k.state])).toEqual([[k1, 'active']]);
    expect(() => old.createPendingNodeKey(orgKeyOf('lefoe-ibf'), T0 + 60)).toThrow(/not the one that certified/);
    const { kid: k2 } = old.createPendingNodeKey(orgKeyOf('astra'), T0 + 60);
    // the pending key publishes a prekey of its own; the descriptor lists both certificates
    expect(old.publishedCertificates(T0 + 60).map((c) => c.key.kid)).toEqual([k1, k2]);
    expect(old.publishedPrekeys(T0 + 60).map((p) => p.signer)).toEqual([k2, k1]);
    expect(old.activatePending(new Set([k1]), T0 + 120)).toBeNull(); // the directory does not carry K2 yet
    expect(old.activatePending(new Set([k1, k2]), T0 + 120)).toEqual({ activated: k2, retired: k1 });
    expect(old.nodeKey.kid).toBe(k2);
    expect(old.currentPrekey().signer).toBe(k2);
    const row = handle.sqlite.prepare(`SELECT secret, destroyedAt FROM own_key WHERE kid = ?`).get(k1) as { secret: Buffer | null; destroyedAt: number | null };
    expect(row).toEqual({ secret: null, destroyedAt: (T0 + 120) * 1000 });
    const again = loadOwnKeys(handle.db, { node: 'node:astra', org: 'org:astra', orgKey: () => { throw new Error('not needed'); }, nowSeconds: T0 + 180 });
    expect(again.nodeKey.kid).toBe(k2);
    expect(again.ownTrusted(k1)?.kid).toBe(k1);
    handle.close();
  });
});
