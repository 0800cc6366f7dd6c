import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../protocol/index.js';
import { type CliResult, runCli } from '../helpers/cli-io.js';
import { closedPort } from '../helpers/cli-servers.js';
import { sessionFor, signIn } from '../helpers/network.js';
import { type Served, serveCli, stopServed } from '../helpers/cli-serve.js';

/**
 * The passphrase paths of the operator's commands (issue 6, issue 7 item 2, ADR 0014), black
 * box: a node set up by `corridor init` and run by `corridor serve`. A wrong passphrase on
 * serve, on the node process itself, on restore and on keys passphrase is one line, a non-zero
 * exit and not one byte written; the recovery key opens what the passphrase opens; a backup
 * taken while the node serves traffic restores to a working node with every case, and no file
 * of it holds a known name in the clear.
 */

const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const NODE_MAIN = fileURLToPath(new URL('../../dist/node/main.js', import.meta.url));
const ENV = { LANG: 'C' };
const root = mkdtempSync(join(tmpdir(), 'corridor-passphrase-'));
const dir = join(root, 'astra');
const file = (name: string, text: string) => {
  const path = join(root, name);
  writeFileSync(path, `${text}\n`, { mode: 0o600 });
  return path;
};
const PASS = file('pass.txt', 'Sunce iznad Dunava 2026');
const WRONG = file('wrong.txt', 'Sunce iznad Save 2026');
const NEW_PASS = file('new-pass.txt', 'Vjetar nad Ohridom 1979');
const NAMES = ['Dragana Miletić-Hoxha', 'Blerta Kastrati'];
let recoveryFile = '';

const cli = (...args: string[]) => runCli(args, { env: ENV });
function oneLine(result: CliResult | { code: number | null; stderr: string }): string {
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
  return lines[0] ?? '';
}
const walk = (d: string): string[] => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
const hashDir = (d: string) =>
  walk(d)
    .sort()
    .map((f) => `${f.slice(d.length)} ${Buffer.from(sha256(readFileSync(f))).toString('hex')}`)
    .join('\n');

function serve(dataDir: string, passphraseFile: string): Promise<Served> {
  return serveCli(dataDir, passphraseFile, ENV);
}
const stop = stopServed;
/** `corridor serve` that is expected to fail: its exit code and stderr */
function serveFails(dataDir: string, passphraseFile: string): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--passphrase-file', passphraseFile], { env: { PATH: process.env.PATH ?? '', ...ENV }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}
// case data is for signed-in people (ADR 0018): a coordinator, made with the machine credential once (a restored node has it already)
const coordinators = new Map<string, string>();
async function coordinatorAt(url: string, dataDir: string): Promise<string> {
  const known = coordinators.get(url);
  if (known) return known;
  const machine = readFileSync(join(dataDir, 'local-token'), 'utf8').trim();
  const token = await signIn(url, machine, { name: 'coordinator', role: 'coordinator' }).catch(() => sessionFor(url, 'coordinator'));
  coordinators.set(url, token);
  return token;
}

async function local(url: string, dataDir: string, path: string, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const token = await coordinatorAt(url, dataDir);
  const res = await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  return { status: res.status, json: await res.json() };
}

const running: Served[] = [];
beforeAll(async () => {
  const r = await cli('init', '--passphrase-file', PASS, '--data-dir', dir, '--org', 'org:astra', '--node', 'node:astra', '--port', String(await closedPort()), '--json');
  expect(r.code, r.stderr).toBe(0);
  recoveryFile = file('recovery.txt', (JSON.parse(r.stdout) as { recoveryKey: string }).recoveryKey);
}, 60_000);
afterAll(async () => {
  for (const s of running) await stop(s);
  rmSync(root, { recursive: true, force: true });
});

describe('a wrong passphrase: one line, non-zero exit, nothing written', () => {
  it('corridor serve refuses before the node starts', () => {
    const before = hashDir(dir);
    expect(oneLine(serveFails(dir, WRONG))).toMatch(/does not unlock this node's key ring/);
    expect(hashDir(dir)).toBe(before);
    expect(existsSync(join(dir, 'corridor.db'))).toBe(false);
  }, 60_000);

  it('the node process itself (passphrase on stdin) refuses with one line and exit 1', () => {
    const before = hashDir(dir);
    const settings = Object.fromEntries(
      readFileSync(join(dir, 'node.env'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('CORRIDOR_'))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const r = spawnSync(process.execPath, [NODE_MAIN], { env: { PATH: process.env.PATH ?? '', ...settings }, input: 'Sunce iznad Save 2026\n', encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^corridor node: the passphrase or key does not unlock the key ring\n$/);
    expect(r.stderr).not.toContain('Save');
    expect(hashDir(dir)).toBe(before);
  }, 60_000);

  it('keys passphrase with a wrong current passphrase leaves the key ring as it was', async () => {
    const ring = readFileSync(join(dir, 'db-key.json'), 'utf8');
    expect(oneLine(await cli('keys', 'passphrase', '--data-dir', dir, '--passphrase-file', WRONG, '--new-passphrase-file', NEW_PASS))).toMatch(/does not unlock/);
    expect(readFileSync(join(dir, 'db-key.json'), 'utf8')).toBe(ring);
    // a new passphrase too short is refused the same way
    expect(oneLine(await cli('keys', 'passphrase', '--data-dir', dir, '--passphrase-file', PASS, '--new-passphrase-file', file('short.txt', 'kratka')))).toMatch(/too short/);
    expect(readFileSync(join(dir, 'db-key.json'), 'utf8')).toBe(ring);
  }, 60_000);

  it('in every language', async () => {
    for (const lang of ['sr', 'mk', 'sq', 'de']) {
      const line = oneLine(await cli('keys', 'passphrase', '--data-dir', dir, '--passphrase-file', WRONG, '--new-passphrase-file', NEW_PASS, '--lang', lang));
      expect(line).not.toMatch(/does not unlock/);
    }
  }, 120_000);
});

describe('backup while the node serves traffic, restore with the passphrase or the recovery key', () => {
  it('restores to a working node with every case; the backup holds no known name in the clear; wrong passphrase on restore writes nothing', async () => {
    const node = await serve(dir, PASS);
    running.push(node);
    const created: string[] = [];
    for (const name of NAMES) {
      const [givenName, familyName] = name.split(' ');
      const c = await local(node.url, dir, '/api/v1/cases', { method: 'POST', body: JSON.stringify({ person: { givenName, familyName, phone: '+381 63 777 0123' }, notes: `${name} asked for a lawyer` }) });
      expect(c.status).toBe(201);
      created.push(c.json.id);
    }
    // traffic during the backup: cases keep arriving while the database is copied
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing && n < 200) {
        const c = await local(node.url, dir, '/api/v1/cases', { method: 'POST', body: JSON.stringify({ person: { givenName: 'Traffic', familyName: `Nr${n++}` } }) });
        expect(c.status).toBe(201);
      }
    })();
    const backupDir = join(root, 'backup');
    const b = await cli('backup', '--data-dir', dir, '--out', backupDir, '--json');
    writing = false;
    await writer;
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ encrypted: true, verified: true });
    const all = ((await local(node.url, dir, '/api/v1/cases?limit=1000')).json.cases as { id: string }[]).map((c) => c.id);
    expect(await stop(node)).toBe(0);

    // no file of the backup holds a name, the phone number or the notes in the clear
    for (const f of walk(backupDir)) {
      const bytes = readFileSync(f);
      for (const s of [...NAMES, '+381 63 777 0123', 'asked for a lawyer']) {
        expect(bytes.includes(Buffer.from(s)), `${f}: ${s}`).toBe(false);
        expect(bytes.includes(Buffer.from(s, 'utf16le')), `${f}: ${s}`).toBe(false);
      }
    }

    // a wrong passphrase: one line, the target not even created
    const target = join(root, 'restored');
    expect(oneLine(await cli('restore', '--from', backupDir, '--data-dir', target, '--passphrase-file', WRONG))).toMatch(/does not unlock/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes('.restore-'))).toEqual([]);
    // a key ring in the backup that was changed: refused by its checksum, before any passphrase is asked for
    const ring = readFileSync(join(backupDir, 'db-key.json'));
    const changed = join(root, 'backup-changed');
    cpSync(backupDir, changed, { recursive: true });
    writeFileSync(join(changed, 'db-key.json'), ring.toString('utf8').replace('"passphrase"', '"recovery"'));
    expect(oneLine(await cli('restore', '--from', changed, '--data-dir', target, '--passphrase-file', PASS))).toMatch(/changed or damaged \(db-key\.json/);
    expect(existsSync(target)).toBe(false);

    // the recovery key opens it
    const r = await cli('restore', '--from', backupDir, '--data-dir', target, '--recovery-key-file', recoveryFile);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(target, 'db-key.json'))).toEqual(ring);
    const again = await serve(target, PASS);
    running.push(again);
    const restored = ((await local(again.url, target, '/api/v1/cases?limit=1000')).json.cases as { id: string }[]).map((c) => c.id);
    // every case from before the backup, and nothing that never existed
    expect(restored).toEqual(expect.arrayContaining(created));
    expect(all).toEqual(expect.arrayContaining(restored));
    const one = await local(again.url, target, `/api/v1/cases/${created[0]}`);
    expect(JSON.stringify(one.json)).toContain('Miletić-Hoxha');
    expect(await stop(again)).toBe(0);
  }, 240_000);
});

describe('unattended: a key file made by init --key-file', () => {
  it('serve starts the node without a passphrase; a key file with another key is one line and nothing written', async () => {
    const other = join(root, 'unattended');
    const keyFile = join(root, 'usb', 'unattended.key');
    mkdirSync(join(root, 'usb'), { mode: 0o700 });
    // a key file inside the data folder is refused before anything is written
    const inside = await cli('init', '--passphrase-file', PASS, '--data-dir', other, '--org', 'org:open-gate', '--node', 'node:open-gate', '--key-file', join(other, 'k.key'));
    expect(oneLine(inside)).toMatch(/outside the data folder/);
    expect(existsSync(other)).toBe(false);
    const r = await cli('init', '--passphrase-file', PASS, '--data-dir', other, '--org', 'org:open-gate', '--node', 'node:open-gate', '--port', String(await closedPort()), '--key-file', keyFile);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(other, 'node.env'), 'utf8')).toContain(`CORRIDOR_KEY_FILE=${keyFile}\n`);
    const node = await serve(other, WRONG); // the passphrase file is not read: the key file unlocks
    running.push(node);
    expect(await stop(node)).toBe(0);
    const right = readFileSync(keyFile, 'utf8');
    writeFileSync(keyFile, `${right.slice(0, 10)}${right[10] === 'A' ? 'B' : 'A'}${right.slice(11)}`, { mode: 0o600 });
    const before = hashDir(other);
    expect(oneLine(serveFails(other, PASS))).toMatch(/does not unlock/);
    expect(hashDir(other)).toBe(before);
  }, 120_000);
});

describe('keys passphrase', () => {
  it('with the recovery key: the new passphrase starts the node, the old one no longer does, the database is not rewritten', async () => {
    const db = statSync(join(dir, 'corridor.db')).mtimeMs;
    const r = await cli('keys', 'passphrase', '--data-dir', dir, '--recovery-key-file', recoveryFile, '--new-passphrase-file', NEW_PASS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/passphrase of .* is changed/);
    expect(statSync(join(dir, 'db-key.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'corridor.db')).mtimeMs).toBe(db);
    expect(oneLine(serveFails(dir, PASS))).toMatch(/does not unlock/);
    const node = await serve(dir, NEW_PASS);
    running.push(node);
    expect((await local(node.url, dir, '/api/v1/cases?limit=1000')).json.cases.length).toBeGreaterThanOrEqual(NAMES.length);
    expect(await stop(node)).toBe(0);
  }, 120_000);
});
