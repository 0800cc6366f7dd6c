import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SigningKey, createMessage, deliverEnvelope, messageType, randomBytes, seal, toBase64Url } from '../../protocol/index.js';
import { createNode } from '../../node/node.js';
import { createKeyRing } from '../../node/admin/key-ring.js';
import { createLogger } from '../../node/logger.js';
import { runCli } from '../helpers/cli-io.js';
import { type DirectoryNetwork, startDirectoryNetwork } from '../helpers/directory-network.js';
import { traffic } from '../helpers/key-traffic.js';
import { offerBody } from '../helpers/messages.js';
import { orgKeyOf, testConfig } from '../helpers/network.js';
import { TEST_CASE_KEY_WRAPPING_KEY, TEST_DATABASE_KEY } from '../helpers/node-db.js';

/**
 * ASTRA's office machine is lost (stolen, with its database and node key). The operator
 * restores the last backup on a new machine with `corridor restore`, starts the node at a new
 * address, and revokes the old node key from when the machine went missing: the node makes a
 * new key, the stewards publish, and the restored node sends and receives again, while the
 * thief's copy of the old key is refused everywhere.
 */

const NAMES = ['open-gate', 'astra', 'lefoe-ibf'];
let dn: DirectoryNetwork;
const dirs: string[] = [];

afterEach(async () => {
  await dn?.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ctxOf = (name: string) => {
  const n = dn.net.nodes[name];
  if (!n) throw new Error(name);
  return n.node.ctx;
};
const nowS = () => Math.floor(dn.net.clock.now() / 1000);

describe('recovery after the machine is lost', () => {
  it('restore from backup on a new machine, revoke the old key: sends and receives again, the old key is refused', async () => {
    dn = await startDirectoryNetwork(NAMES);
    for (const name of NAMES) await dn.submitOwn(name);
    const v1 = await dn.publish({ from: NAMES, expiresInDays: 60 });
    for (const name of NAMES) await dn.install(name, v1.body);
    for (const name of NAMES) await ctxOf(name).directory.sync.fetchPrekeys();
    const t = traffic(dn, NAMES);
    t.burst('before');
    await dn.net.drain();
    t.expectAllDelivered();

    // the nightly backup
    const root = mkdtempSync(join(tmpdir(), 'corridor-recovery-'));
    dirs.push(root);
    const backup = join(root, 'backup');
    // ASTRA's key ring, as `corridor init` makes it: the database key wrapped under a recovery key (kept in the office safe)
    const { recoveryKey } = await createKeyRing(dn.net.nodes.astra!.dataDir, { databaseKey: TEST_DATABASE_KEY, caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY, recovery: true });
    const recoveryFile = join(root, 'recovery-key.txt');
    writeFileSync(recoveryFile, `${recoveryKey}\n`, { mode: 0o600 });
    expect((await dn.api('astra', 'POST', '/api/v1/admin/backup', { path: backup })).status).toBe(201);
    const old = ctxOf('astra');
    const k1 = old.keys.nodeKey.kid;
    const leaked = SigningKey.fromSeed('node', new Uint8Array((old.handle.sqlite.prepare(`SELECT secret FROM own_key WHERE kid = ?`).get(k1) as { secret: Buffer }).secret));
    const astraPrekey = ctxOf('open-gate').peers.prekeyFor('node:astra', nowS()).prekey;

    // the machine is gone; partners keep writing to ASTRA meanwhile (their outboxes hold it)
    dn.net.clock.advance({ hours: 1 });
    const lostAt = nowS();
    await dn.net.nodes.astra?.node.close();
    const gone = dn.net.nodes.astra;
    // no machine answers at ASTRA's address any more (the network's drain and close skip it)
    (dn.net.nodes as Record<string, unknown>).astra = { ...gone, node: { drain: async () => 0, close: async () => undefined } };
    t.burst('while-lost', ['open-gate', 'lefoe-ibf']);
    for (const n of ['open-gate', 'lefoe-ibf']) await ctxOf(n).worker.drain();

    // a new machine: corridor restore into a new data folder, the node started at a new address
    dn.net.clock.advance({ hours: 20 });
    const dataDir = join(root, 'new-machine');
    const restored = await runCli(['restore', '--from', backup, '--data-dir', dataDir, '--recovery-key-file', recoveryFile]);
    expect(restored.code, restored.stderr).toBe(0);
    const config = testConfig('astra', dataDir);
    const node = await createNode(config, { clock: dn.net.clock, orgKey: orgKeyOf('astra'), log: createLogger('silent'), databaseKey: TEST_DATABASE_KEY, caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY });
    const { url } = await node.listen({ host: '127.0.0.1', port: 0 });
    expect(url).not.toBe(gone?.url);
    (dn.net.nodes as Record<string, unknown>).astra = { name: 'astra', id: 'node:astra', node, url, dataDir };
    expect(node.ctx.keys.nodeKey.kid).toBe(k1); // the backup holds the old key

    // revoke the old key from when the machine went missing: a new key comes with it
    const revoked = await dn.api('astra', 'POST', '/api/v1/admin/keys/revoke', { kid: k1, compromisedSince: lostAt, reason: 'device-lost' });
    expect(revoked.status).toBe(200);
    const k2 = revoked.json.pending as string;
    const v2 = await dn.publish({ from: ['astra'] });
    for (const name of NAMES) expect((await dn.install(name, v2.body)).json).toMatchObject({ outcome: 'installed', version: 2 });
    expect(node.ctx.keys.nodeKey.kid).toBe(k2);
    expect(ctxOf('open-gate').peers.url('node:astra')).toBe(url); // the entry carries the new address

    // what the partners queued while ASTRA was gone arrives; the stream goes on both ways
    dn.net.clock.advance({ hours: 7 });
    await dn.net.drain();
    t.burst('after');
    await dn.net.drain();
    t.expectAllDelivered();

    // the thief's copy of K1 is refused by each node
    for (const target of NAMES) {
      const prekey = target === 'astra' ? astraPrekey : node.ctx.peers.prekeyFor(`node:${target}`, nowS()).prekey;
      const inner = createMessage({ typ: messageType('referral', 'offer'), from: 'node:astra', kid: k1, to: `node:${target}`, dir: ctxOf(target).directory.ref(), body: offerBody('forged') }, (lostAt - 30) * 1000);
      const { envelope } = seal(inner, leaked, prekey, { maxBytes: 4 * 1024 * 1024 });
      const outcome = await deliverEnvelope({
        fetch,
        baseUrl: dn.net.nodes[target]?.url ?? '',
        envelope,
        id: inner.id,
        from: 'node:astra',
        to: `node:${target}`,
        signer: leaked,
        receiverKeys: () => undefined,
        now: nowS(),
        nonce: toBase64Url(randomBytes(16)),
        timeoutMs: 5000,
      });
      expect(outcome, target).toMatchObject({ kind: 'permanent', status: 401, code: 'Unauthenticated' });
    }
  });
});
