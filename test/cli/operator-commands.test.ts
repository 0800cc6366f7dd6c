import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli-io.js';
import { closedPort } from '../helpers/cli-servers.js';
import { signIn } from '../helpers/network.js';
import { type Served, serveCli, stopServed } from '../helpers/cli-serve.js';

/**
 * The operator's commands, black box: `corridor init` writes the data directory, `corridor
 * serve` (the real binary, dist/cli/main.js) runs a real node process from it, `status`, `keys
 * rotate` and `backup` talk to that node, `restore` rebuilds a data directory from the backup
 * and a node started from it holds the same cases. Refusals are one line and a non-zero exit.
 */

const ENV = { LANG: 'C' };
const root = mkdtempSync(join(tmpdir(), 'corridor-operator-'));
const mode = (path: string) => statSync(path).mode & 0o777;
const FINGERPRINT = /^\d{5}( \d{5}){7}$/;
// the operator's passphrase, from a file (a terminal would ask without echo)
const PASS = join(root, 'passphrase.txt');
writeFileSync(PASS, 'correct horse battery staple\n', { mode: 0o600 });

function oneLine(result: CliResult, exit: number | 'non-zero'): string {
  if (exit === 'non-zero') expect(result.code).not.toBe(0);
  else expect(result.code, result.stderr).toBe(exit);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
  return lines[0] ?? '';
}

/** `corridor serve --data-dir D` as an operator types it; resolves once the node listens. */
function serve(dataDir: string): Promise<Served> {
  return serveCli(dataDir, PASS, ENV, 30_000);
}
const stop = stopServed;

/** the machine credential (an operator), or a coordinator's session for case work */
async function local(url: string, dataDir: string, path: string, init: RequestInit = {}, session?: string): Promise<{ status: number; json: any }> {
  const token = session ?? readFileSync(join(dataDir, 'local-token'), 'utf8').trim();
  const res = await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  return { status: res.status, json: await res.json() };
}

const cli = (...args: string[]) => runCli(args, { env: ENV });
const running: Served[] = [];
afterAll(async () => {
  for (const s of running) await stop(s);
  rmSync(root, { recursive: true, force: true });
});

describe('corridor init', () => {
  it('creates the data directory (0700), the key ring, the sealed org key and node.env (0600), and prints the fingerprint and the recovery key', async () => {
    const dir = join(root, 'init-ok');
    const r = await cli('init', '--passphrase-file', PASS, '--data-dir', dir, '--org', 'org:open-gate', '--node', 'node:open-gate', '--url', 'https://corridor.opengate.example', '--port', '4100', '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { fingerprint: string; orgKid: string; next: string[]; recoveryKey: string };
    expect(report.fingerprint).toMatch(FINGERPRINT);
    expect(report.recoveryKey).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{1,4}){12}$/);
    expect(mode(join(dir, 'db-key.json'))).toBe(0o600);
    expect(report.next.join(' ')).toMatch(/directory-anchor\.json/);
    expect(report.next.join(' ')).toMatch(/corridor serve --data-dir/);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'org-key'))).toBe(0o600);
    expect(mode(join(dir, 'node.env'))).toBe(0o600);
    expect(readFileSync(join(dir, 'org-key'), 'utf8')).toMatch(/^corridor-sealed\/1:[A-Za-z0-9_-]+\n$/);
    const env = readFileSync(join(dir, 'node.env'), 'utf8');
    for (const line of ['CORRIDOR_NODE_ID=node:open-gate', 'CORRIDOR_ORG_ID=org:open-gate', `CORRIDOR_DATA_DIR=${dir}`, 'CORRIDOR_PORT=4100', 'CORRIDOR_PUBLIC_URL=https://corridor.opengate.example']) {
      expect(env).toContain(`${line}\n`);
    }
    const human = await cli('init', '--passphrase-file', PASS, '--data-dir', join(root, 'init-human'), '--org', 'org:astra', '--node', 'node:astra');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/read aloud/);
    expect(human.stdout.split('\n').some((l) => FINGERPRINT.test(l.trim()))).toBe(true);
  });

  it('refuses to overwrite an existing org key: one line, nothing changed', async () => {
    const dir = join(root, 'init-twice');
    expect((await cli('init', '--passphrase-file', PASS, '--data-dir', dir, '--org', 'org:astra', '--node', 'node:astra')).code).toBe(0);
    const key = readFileSync(join(dir, 'org-key'), 'utf8');
    const again = await cli('init', '--passphrase-file', PASS, '--data-dir', dir, '--org', 'org:other', '--node', 'node:other');
    expect(oneLine(again, 1)).toMatch(/already set up .*org-key/);
    expect(readFileSync(join(dir, 'org-key'), 'utf8')).toBe(key);
    expect(readFileSync(join(dir, 'node.env'), 'utf8')).toContain('org:astra');
  });

  it('in every language', async () => {
    for (const lang of ['sr', 'mk', 'sq', 'de']) {
      const r = await cli('init', '--passphrase-file', PASS, '--data-dir', join(root, `init-${lang}`), '--org', 'org:astra', '--node', 'node:astra', '--lang', lang);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/corridor serve --data-dir/);
      expect(r.stdout).not.toMatch(/read aloud/);
    }
  });
});

describe('bad input paths: one line, non-zero exit', () => {
  it.each([
    [['init', '--org', 'org:astra', '--node', 'node:astra'], /data folder/],
    [['init', '--data-dir', join(root, 'bad-1'), '--org', 'astra', '--node', 'node:astra'], /--org must look like org:astra/],
    [['init', '--data-dir', join(root, 'bad-2'), '--org', 'org:astra'], /--node needs a value/],
    [['init', '--data-dir', join(root, 'bad-3'), '--org', 'org:astra', '--node', 'node:astra', '--port', 'http'], /--port must be a port number/],
    [['init', '--data-dir', join(root, 'bad-4'), '--org', 'org:astra', '--node', 'node:astra', '--url', 'ftp://x'], /--url must be the address/],
    [['serve', '--data-dir', join(root, 'nowhere')], /node\.env is missing/],
    [['restore', '--from', join(root, 'nowhere'), '--data-dir', join(root, 'bad-5')], /corridor-backup\.json/],
    [['restore', '--data-dir', join(root, 'bad-6')], /--from needs a value/],
    [['backup', '--data-dir', join(root, 'nowhere')], /--out needs a value/],
    [['anchor', join(root, 'nowhere.json'), '--data-dir', join(root, 'bad-7')], /nowhere\.json/],
  ])('%j', async (args, message) => {
    expect(oneLine(await cli(...args), 'non-zero')).toMatch(message);
    expect(existsSync(join(root, 'bad-1'))).toBe(false);
  });

  it('a backup folder that is not empty is refused before the node is asked', async () => {
    const out = join(root, 'full');
    cpSync(join(root, 'init-ok'), out, { recursive: true });
    const r = await cli('backup', '--out', out, '--node', `http://127.0.0.1:${await closedPort()}`, '--data-dir', join(root, 'init-ok'));
    expect(oneLine(r, 1)).toMatch(/not empty/);
  });
});

describe('a node run with corridor serve: status, keys rotate, backup and restore', () => {
  const dir = join(root, 'node-a');
  let node: Served;
  let caseIds: string[] = [];

  beforeAll(async () => {
    const port = await closedPort();
    const r = await cli('init', '--passphrase-file', PASS, '--data-dir', dir, '--org', 'org:astra', '--node', 'node:astra', '--port', String(port));
    expect(r.code, r.stderr).toBe(0);
    node = await serve(dir);
    running.push(node);
    expect(node.url).toBe(`http://127.0.0.1:${port}`);
  }, 60_000);

  it('status: one screen from the local API, found through node.env', async () => {
    const r = await cli('status', '--data-dir', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Node node:astra at http:\/\/127\.0\.0\.1/);
    expect(r.stdout).toMatch(/Directory: none yet/);
    expect(r.stdout).toMatch(/Deletion receipts: none missing/);
    const json = JSON.parse((await cli('status', '--data-dir', dir, '--json')).stdout);
    expect(json).toMatchObject({ node: 'node:astra', receipts: { missing: 0, escalated: 0 }, outbox: { undelivered: 0 }, attention: ['anchor'] });
    const raw = await local(node.url, dir, '/api/v1/status');
    expect(raw.json).toMatchObject({ missingReceipts: 0, escalated: 0 });
  });

  it('keys rotate: a new prekey appears in the node descriptor; the node key is left as it is', async () => {
    const before = (await (await fetch(`${node.url}/.well-known/corridor`)).json()) as { prekeys: { kid: string }[] };
    const r = await cli('keys', 'rotate', '--data-dir', dir, '--json');
    expect(r.code, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout) as { created: string; key: string };
    expect(answer.created).toMatch(/^spk-/);
    expect(answer.key).toBe('prekey');
    expect(before.prekeys.map((p) => p.kid)).not.toContain(answer.created);
    const after = (await (await fetch(`${node.url}/.well-known/corridor`)).json()) as { prekeys: { kid: string }[] };
    expect(after.prekeys[0]?.kid).toBe(answer.created);
    expect(after.prekeys.map((p) => p.kid)).toEqual(expect.arrayContaining(before.prekeys.map((p) => p.kid)));
    const human = await cli('keys', 'rotate', '--data-dir', dir);
    expect(human.stdout).toMatch(/was not changed: rotate it with --node-key/);
  });

  it('keys rotate --node-key and keys revoke without the org key on the node: one line saying what to do, nothing changed', async () => {
    const keyFile = join(dir, 'org-key');
    const orgKey = readFileSync(keyFile, 'utf8');
    rmSync(keyFile);
    try {
      expect(oneLine(await cli('keys', 'rotate', '--node-key', '--data-dir', dir), 1)).toMatch(/^The org key is not on this node\. Put the org-key file back/);
      const status = await local(node.url, dir, '/api/v1/status');
      const kid = status.json.keys.node.kid as string;
      expect(oneLine(await cli('keys', 'revoke', kid, '--compromised-since', '2026-11-01', '--data-dir', dir, '--lang', 'de'), 1)).toMatch(/^Der Organisationsschlüssel ist nicht auf diesem Knoten/);
      expect((await local(node.url, dir, '/api/v1/status')).json.keys.node.kid).toBe(kid);
    } finally {
      writeFileSync(keyFile, orgKey, { mode: 0o600 });
    }
    // with the org key back but no directory entry yet: import the profile first
    expect(oneLine(await cli('keys', 'rotate', '--node-key', '--data-dir', dir), 1)).toMatch(/^Not found\.$/);
    // and no key was made on the way
    const keys = await local(node.url, dir, '/api/v1/admin/keys/rotate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ force: false }) });
    expect(keys.json.nodeKeys.map((k: { state: string }) => k.state)).toEqual(['active']);
  });

  it('backup while the node runs, refusals of restore, then restore into a new directory and serve it', async () => {
    const coordinator = await signIn(node.url, readFileSync(join(dir, 'local-token'), 'utf8').trim(), { name: 'coordinator', role: 'coordinator' });
    expect((await local(node.url, dir, '/api/v1/cases')).status).toBe(403); // the operator's credential reads no case
    for (const name of ['Marija', 'Ana']) {
      const created = await local(node.url, dir, '/api/v1/cases', { method: 'POST', body: JSON.stringify({ person: { givenName: name } }) }, coordinator);
      expect(created.status).toBe(201);
    }
    caseIds = ((await local(node.url, dir, '/api/v1/cases', {}, coordinator)).json.cases as { id: string }[]).map((c) => c.id).sort();
    expect(caseIds).toHaveLength(2);

    const backupDir = join(root, 'backup-a');
    const b = await cli('backup', '--data-dir', dir, '--out', backupDir);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/backup is encrypted/);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'corridor-backup.json'), 'utf8')) as { encrypted: boolean; files: { path: string; sha256: string }[] };
    expect(manifest.encrypted).toBe(true);
    expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['corridor.db', 'db-key.json', 'local-token', 'org-key', 'node.env']));
    expect(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(mode(join(backupDir, 'corridor.db'))).toBe(0o600);

    // a running node's data directory is refused
    const onRunning = await cli('restore', '--from', backupDir, '--data-dir', dir);
    expect(oneLine(onRunning, 1)).toMatch(/node is running/);
    // while the node of the backup still runs, restoring it elsewhere is refused too
    expect(oneLine(await cli('restore', '--from', backupDir, '--data-dir', join(root, 'twin')), 1)).toMatch(/still running/);
    // a second backup into the same folder is refused
    expect(oneLine(await cli('backup', '--data-dir', dir, '--out', backupDir), 1)).toMatch(/not empty/);

    expect(await stop(node)).toBe(0);

    // a tampered backup is refused by its hashes, and leaves nothing behind
    const tampered = join(root, 'backup-tampered');
    cpSync(backupDir, tampered, { recursive: true });
    const db = readFileSync(join(tampered, 'corridor.db'));
    db[db.length - 100] = (db[db.length - 100] ?? 0) ^ 0xff;
    writeFileSync(join(tampered, 'corridor.db'), db);
    const bad = await cli('restore', '--from', tampered, '--data-dir', join(root, 'restored-bad'), '--passphrase-file', PASS);
    expect(oneLine(bad, 1)).toMatch(/changed or damaged \(corridor\.db/);
    expect(existsSync(join(root, 'restored-bad'))).toBe(false);

    const restoredDir = join(root, 'restored');
    const r = await cli('restore', '--from', backupDir, '--data-dir', restoredDir, '--passphrase-file', PASS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/corridor serve --data-dir/);
    expect(mode(restoredDir)).toBe(0o700);
    expect(mode(join(restoredDir, 'org-key'))).toBe(0o600);
    expect(readFileSync(join(restoredDir, 'node.env'), 'utf8')).toContain(`CORRIDOR_DATA_DIR=${restoredDir}\n`);

    const again = await serve(restoredDir);
    running.push(again);
    // accounts and their sessions are in the database, so in the backup
    const cases = ((await local(again.url, restoredDir, '/api/v1/cases', {}, coordinator)).json.cases as { id: string }[]).map((c) => c.id).sort();
    expect(cases).toEqual(caseIds);
    const status = await cli('status', '--data-dir', restoredDir);
    expect(status.code, status.stderr).toBe(0);
    expect(await stop(again)).toBe(0);
  }, 120_000);
});
