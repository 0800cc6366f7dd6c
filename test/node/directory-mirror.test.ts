import { afterEach, describe, expect, it } from 'vitest';
import { type DirectoryNetwork, STEWARD_KEYS, startDirectoryNetwork } from '../helpers/directory-network.js';

/**
 * Three real nodes (Open Gate, ASTRA, LEFÖ-IBF) that know each other only through the signed
 * directory: a change published at one reaches the others by mirroring, also around a cut link;
 * a message naming a newer version makes its receiver fetch it; two versions under one number
 * raise the split-view alert.
 */

const NAMES = ['open-gate', 'astra', 'lefoe-ibf'];
let dn: DirectoryNetwork;

afterEach(async () => {
  await dn?.close();
});

async function genesis(): Promise<void> {
  for (const name of NAMES) await dn.submitOwn(name);
  const v1 = await dn.publish({ from: NAMES });
  for (const name of NAMES) expect((await dn.install(name, v1.body)).json).toMatchObject({ outcome: 'installed', version: 1 });
  for (const name of NAMES) await dn.net.nodes[name]?.node.ctx.directory.sync.fetchPrekeys();
}

const status = async (name: string) => (await dn.api(name, 'GET', '/api/v1/directory')).json;

describe('the directory between three real nodes', () => {
  it('starts from a version the stewards signed: every node knows the others, their endpoints and keys, from it alone', async () => {
    dn = await startDirectoryNetwork(NAMES);
    expect(await status('astra')).toMatchObject({ version: 0, fresh: false, organisations: 0 });
    await genesis();
    const s = await status('astra');
    expect(s).toMatchObject({ network: 'corridor-test', version: 1, fresh: true, staleSince: null, organisations: 3, withNode: 3, splitView: false, submissions: [] });
    expect(s.services).toBeGreaterThan(0);
    const peers = dn.net.nodes.astra?.node.ctx.peers;
    expect(peers?.url('node:open-gate')).toBe(dn.net.nodes['open-gate']?.url);
    expect(peers?.keys('node:lefoe-ibf')).toHaveLength(1);
    // and messages flow on what the directory said
    dn.net.send('astra', 'lefoe-ibf');
    await dn.net.drain();
    expect(dn.net.nodes['lefoe-ibf']?.node.ctx.inbox.counts()).toMatchObject({ processed: 1 });
  });

  it('a change published at Open Gate reaches LEFÖ-IBF through ASTRA while the Open Gate link is cut, moving a small part of a full copy', async () => {
    dn = await startDirectoryNetwork(NAMES);
    await genesis();
    dn.net.cutBetween('lefoe-ibf', 'open-gate');

    // ASTRA adds German to its services; its node signs the entry, the stewards' node gathers it
    await dn.submitOwn('astra', (p) => {
      for (const s of p.services) (s.languages as unknown[]).push({ id: '9d3f0f5e-0000-4000-8000-00000000de01', code: 'de', name: 'German' });
    });
    expect((await dn.api('open-gate', 'POST', '/api/v1/directory/collect')).json).toMatchObject({ collected: 1 });
    const v2 = await dn.publish({ from: ['open-gate'] });
    expect((await dn.install('open-gate', v2.body)).json).toMatchObject({ outcome: 'installed', version: 2, changed: ['org:astra'] });

    const atAstra = (await dn.api('astra', 'POST', '/api/v1/directory/sync', {})).json;
    expect(atAstra).toMatchObject({ outcome: 'updated', version: 2, from: 'node:open-gate' });
    const atLefoe = (await dn.api('lefoe-ibf', 'POST', '/api/v1/directory/sync', { peer: 'node:open-gate' })).json;
    expect(atLefoe).toMatchObject({ outcome: 'updated', version: 2, from: 'node:astra' });
    for (const name of NAMES) expect(await status(name)).toMatchObject({ version: 2, hash: (await status('open-gate')).hash });

    // the change is searchable at LEFÖ-IBF
    const found = (await dn.api('lefoe-ibf', 'GET', '/api/v1/directory/search?language=de&country=RS')).json;
    expect(found.results.map((r: { org: string }) => r.org)).toContain('org:astra');

    // bytes: the manifest and ASTRA's entry, against the whole directory
    const full = (await dn.api('lefoe-ibf', 'GET', '/api/v1/directory/bundle?full=1')).json as { manifest: unknown; entries: string[] };
    const fullBytes = JSON.stringify(full.manifest).length + full.entries.reduce((n, e) => n + (e.length * 3) / 4, 0);
    expect(atLefoe.bytes).toBeGreaterThan(0);
    expect(atLefoe.bytes).toBeLessThan(fullBytes);
    // with three organisations the manifest is a large share; the 5% goal is measured on 5,000 (npm run bench)
    expect((await status('lefoe-ibf')).lastSync).toMatchObject({ outcome: 'updated', peer: 'node:astra', version: 2 });
  });

  it('a message naming a newer directory makes its receiver fetch it from the sender', async () => {
    dn = await startDirectoryNetwork(NAMES);
    await genesis();
    await dn.submitOwn('open-gate', (p) => {
      p.description = `${p.description} New office hours.`;
    });
    const v2 = await dn.publish({ from: ['open-gate'] });
    await dn.install('open-gate', v2.body);
    expect((await status('lefoe-ibf')).version).toBe(1);

    dn.net.send('open-gate', 'lefoe-ibf');
    await dn.net.drain();
    await waitFor(async () => (await status('lefoe-ibf')).version === 2);
    expect(await status('lefoe-ibf')).toMatchObject({ version: 2, lastSync: { peer: 'node:open-gate', outcome: 'updated' } });
  });

  it('two versions under one number are a split view: refused, and the alert fires on sync and on a message', async () => {
    dn = await startDirectoryNetwork(NAMES);
    await genesis();
    await dn.submitOwn('astra', (p) => {
      p.description = 'one view';
    });
    const a = await dn.publish({ from: ['astra'], base: 'astra' });
    await dn.submitOwn('astra', (p) => {
      p.description = 'another view';
    });
    // the same stewards (or a thief of two steward keys) sign another version 2
    const b = await dn.publish({ from: ['astra'], base: 'astra', signers: [STEWARD_KEYS[1]!, STEWARD_KEYS[2]!] });
    expect(a.manifest.version).toBe(2);
    expect(b.manifest.version).toBe(2);
    await dn.install('open-gate', a.body);
    await dn.install('lefoe-ibf', b.body);

    const refused = (await dn.api('open-gate', 'POST', '/api/v1/directory/sync', { peer: 'node:lefoe-ibf' })).json;
    expect(refused).toMatchObject({ outcome: 'refused', code: 'DirectoryConflict', version: 2 });
    const held = await status('open-gate');
    expect(held).toMatchObject({ version: 2, splitView: true });
    expect(held.hash).not.toBe((await status('lefoe-ibf')).hash);
    const alerts = (await dn.api('open-gate', 'GET', '/api/v1/status')).json.alerts as { kind: string; peer: string }[];
    expect(alerts).toContainEqual(expect.objectContaining({ kind: 'directory-split-view', peer: 'node:lefoe-ibf' }));

    // ASTRA never synced against LEFÖ-IBF; a message from LEFÖ-IBF naming its view tells it
    await dn.install('astra', a.body);
    dn.net.send('lefoe-ibf', 'astra');
    await dn.net.drain();
    const astraAlerts = (await dn.api('astra', 'GET', '/api/v1/status')).json.alerts as { kind: string; peer: string }[];
    expect(astraAlerts).toContainEqual(expect.objectContaining({ kind: 'directory-split-view', peer: 'node:lefoe-ibf' }));
    expect((await status('astra')).splitView).toBe(true);
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out waiting');
}
