import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeDescriptor, fingerprint, toBase64Url } from '../../protocol/index.js';
import { runCli } from '../helpers/cli-io.js';
import { type DirectoryNetwork, NETWORK, STEWARDS, STEWARD_KEYS, startDirectoryNetwork } from '../helpers/directory-network.js';
import { orgKeyOf } from '../helpers/network.js';

/**
 * The stewards' commands against three real nodes in this process: `collect` on the stewards'
 * node (Open Gate) gathers what ASTRA and LEFÖ-IBF submitted; `publish` reads the steward keys
 * from files, shows what changes, refuses below the threshold, signs and installs. The nodes
 * know each other at first from an admission by hand, then from the directory.
 */

const NAMES = ['open-gate', 'astra', 'lefoe-ibf'];
let dn: DirectoryNetwork;
let work: string;
const keyFile: string[] = [];
let stewardsFile: string;

const at = (name: string) => {
  const n = dn.net.nodes[name];
  if (!n) throw new Error(name);
  return n;
};
const cli = (name: string, ...args: string[]) => runCli([...args, '--node', at(name).url, '--data-dir', at(name).dataDir]);
const publish = (...args: string[]) => cli('open-gate', 'directory', 'publish', ...args);
const keys = (...indexes: number[]) => indexes.flatMap((i) => ['--steward-key', keyFile[i] ?? '']);
const orgKey = (name: string) => toBase64Url(orgKeyOf(name).publicKey);
const admit = (...names: string[]) => names.flatMap((n) => ['--admit', `org:${n}=${orgKey(n)}`]);
const version = async (name: string) => JSON.parse((await cli(name, 'directory', 'status', '--json')).stdout).version as number;

beforeAll(async () => {
  dn = await startDirectoryNetwork(NAMES);
  work = mkdtempSync(join(tmpdir(), 'corridor-cli-publish-'));
  STEWARD_KEYS.forEach((key, i) => {
    const file = join(work, `steward-${i + 1}.key`);
    writeFileSync(file, `${toBase64Url(key.exportSeed())}\n`, { mode: 0o600 });
    keyFile.push(file);
  });
  stewardsFile = join(work, 'directory-anchor.json');
  writeFileSync(stewardsFile, JSON.stringify({ network: NETWORK, stewards: STEWARDS }));
  // before the first version, the nodes know each other only from an admission by hand
  for (const a of NAMES) {
    const descriptor = (await (await fetch(`${at(a).url}/.well-known/corridor`)).json()) as NodeDescriptor;
    for (const b of NAMES.filter((n) => n !== a)) expect((await dn.api(b, 'PUT', '/api/v1/peers', { descriptor, orgPublicKey: orgKey(a) })).status).toBe(200);
  }
  for (const name of NAMES) await dn.submitOwn(name);
});
afterAll(async () => {
  await dn.close();
  rmSync(work, { recursive: true, force: true });
});

describe('corridor directory collect and publish, on the stewards’ node', () => {
  it('collect: gathers the entries the partners submitted', async () => {
    const r = await cli('open-gate', 'directory', 'collect');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('New entries gathered from partner nodes: 2\n');
    expect(r.stdout).toContain('corridor directory publish');
    const again = JSON.parse((await cli('open-gate', 'directory', 'collect', '--json')).stdout);
    expect(again).toEqual({ collected: 0, unreachable: [] });
  });

  it('bad option values are usage errors naming the option, exit 2, nothing sent', async () => {
    const cases: [string[], string][] = [
      [['--admit', 'org:astra'], '--admit must be an organisation and its org public key'],
      [['--admit', `astra=${orgKey('astra')}`], '--admit must be an organisation and its org public key'],
      [['--admit', 'org:astra=c2hvcnQ'], '--admit must be an organisation and its org public key'],
      [['--rekey', `org:astra=${orgKey('astra')}x`], '--rekey must be an organisation and its org public key'],
      [['--remove', 'astra'], '--remove must be an organisation'],
      [[...admit('astra', 'astra')], 'org:astra is given twice with --admit.'],
      [['--expires-days', '0'], '--expires-days must be a whole number from 1 to 366.'],
    ];
    for (const [args, line] of cases) {
      const r = await publish(...keys(0, 1), ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(line);
    }
    const none = await publish(...admit('astra'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--steward-key');
    expect(await version('open-gate')).toBe(0);
  });

  it('a missing or damaged key file: one line naming it (never its content), exit 1, nothing sent', async () => {
    const missing = join(work, 'no-such.key');
    const r = await publish(...keys(0), '--steward-key', missing, ...admit(...NAMES), '--stewards-file', stewardsFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`The file ${missing} does not exist. Nothing was sent.\n`);
    const damaged = join(work, 'damaged.key');
    writeFileSync(damaged, 'secret-looking-text-that-is-no-seed\n', { mode: 0o600 });
    const d = await publish(...keys(0), '--steward-key', damaged, '--stewards-file', stewardsFile);
    expect(d.code).toBe(1);
    expect(d.stderr).toBe(`The file ${damaged} is not a steward key (one line: a 32-byte seed in base64url). Nothing was sent.\n`);
    expect(d.stdout + d.stderr).not.toContain('secret-looking');
    expect(await version('open-gate')).toBe(0);
  });

  it('the first version needs the stewards: without --stewards-file, a usage error', async () => {
    const r = await publish(...keys(0, 1), ...admit(...NAMES));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^This node holds no directory version yet: give the stewards .* --stewards-file/);
  });

  it('--dry-run: shows what would change, the fingerprints, what to do about an unknown organisation; installs nothing', async () => {
    const r = await publish(...keys(0), ...admit('open-gate', 'astra'), '--stewards-file', stewardsFile, '--dry-run');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Directory of corridor-test, next version 1, valid until .+\n/);
    expect(r.stdout).toContain('Added: org:astra (entry 1), org:open-gate (entry 1)\n');
    expect(r.stdout).toContain(`Key of org:astra, fingerprint ${fingerprint(orgKeyOf('astra').publicKey)}`);
    expect(r.stdout).toContain(
      'Left out: org:lefoe-ibf is not a member yet. Ask them for their org public key, compare its fingerprint with them (read aloud), then run again with --admit org:lefoe-ibf=KEY.',
    );
    expect(r.stdout).toContain('Steward signatures: 1 given, 2 of 3 needed.');
    expect(r.stdout).toContain('Dry run: nothing was signed or sent.');
    expect(await version('open-gate')).toBe(0);
  });

  it('one steward key (even given twice) is below the threshold: refused with one line, nothing installed', async () => {
    const r = await publish(...keys(0, 0), ...admit(...NAMES), '--stewards-file', stewardsFile);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('2 of 3 steward signatures needed, 1 given. Nothing was sent.\n');
    expect(await version('open-gate')).toBe(0);
    const json = await publish(...keys(0), ...admit(...NAMES), '--stewards-file', stewardsFile, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'DirectoryUnderSigned', message: '2 of 3 steward signatures needed, 1 given. Nothing was sent.' } });
    expect(await version('open-gate')).toBe(0);
  });

  it('a key that is not a steward’s: one line naming the file', async () => {
    const other = join(work, 'not-a-steward.key');
    writeFileSync(other, `${toBase64Url(orgKeyOf('astra').exportSeed())}\n`, { mode: 0o600 });
    const r = await publish(...keys(0), '--steward-key', other, ...admit(...NAMES), '--stewards-file', stewardsFile);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`The key in ${other} is not one of the stewards of this directory. Nothing was sent.\n`);
  });

  it('a key file others can read: a warning on a terminal, like ssh', async () => {
    const open = join(work, 'open.key');
    writeFileSync(open, `${toBase64Url(STEWARD_KEYS[2]?.exportSeed() ?? new Uint8Array(0))}\n`, { mode: 0o644 });
    const args = ['directory', 'publish', '--steward-key', open, '--stewards-file', stewardsFile, '--dry-run', '--node', at('open-gate').url, '--data-dir', at('open-gate').dataDir];
    const tty = await runCli(args, { tty: true, env: { LANG: 'C', NO_COLOR: '1' } });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain(`Warning: other users of this computer can read the steward key ${open}.`);
    expect((await runCli(args)).stderr).toBe('');
  });

  it('genesis: two stewards sign version 1 with the three organisations admitted; the node installs it', async () => {
    const r = await publish(...keys(0, 1), ...admit(...NAMES), '--stewards-file', stewardsFile);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Added: org:astra (entry 1), org:lefoe-ibf (entry 1), org:open-gate (entry 1)\n');
    expect(r.stdout).toContain('Steward signatures: 2 given, 2 of 3 needed.');
    expect(r.stdout).toContain('Directory version 1 installed on this node. Changed: org:astra, org:lefoe-ibf, org:open-gate. Removed: —.');
    const status = await cli('open-gate', 'directory', 'status');
    expect(status.stdout).toContain('Directory of corridor-test, version 1');
    expect(status.stdout).toContain('Organisations: 3 (with a Corridor node: 3)');
    // the partners take it from the stewards' node
    for (const name of ['astra', 'lefoe-ibf']) expect((await cli(name, 'directory', 'sync', '--peer', 'node:open-gate')).code).toBe(0);
    expect(await version('astra')).toBe(1);
  });

  it('once a version is held, its stewards sign the next: --stewards-file is refused', async () => {
    const r = await publish(...keys(0, 1), '--stewards-file', stewardsFile);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('This node holds version 1: its stewards sign the next one. Leave out --stewards-file.\n');
  });

  it('a change submitted at ASTRA: collect, then publish --json makes version 2', async () => {
    await dn.submitOwn('astra', (p) => {
      p.description = `${p.description} (updated)`;
    });
    expect((await cli('open-gate', 'directory', 'collect')).stdout).toContain('New entries gathered from partner nodes: 1\n');
    const r = await publish(...keys(1, 2), '--expires-days', '10', ...admit('astra'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toEqual({
      network: 'corridor-test',
      version: 2,
      issued: expect.any(Number),
      expires: expect.any(Number),
      added: [],
      changed: [{ org: 'org:astra', seq: 2 }],
      removed: [],
      skipped: [],
      signatures: { given: 2, threshold: 2, stewards: 3 },
      dryRun: false,
      installed: { outcome: 'installed', version: 2, changed: ['org:astra'], dropped: [] },
    });
    expect(json.expires - json.issued).toBe(10 * 86_400);
    expect(await version('open-gate')).toBe(2);
    expect((await cli('astra', 'directory', 'sync', '--peer', 'node:open-gate')).stdout).toMatch(/^Directory updated to version 2 from node:open-gate/);
  });

  it('nothing waiting: the next version only extends the expiry; an admitted member keeps its key', async () => {
    const r = await publish(...keys(0, 2), ...admit('astra'), '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('next version 3');
    expect(r.stdout).toContain('No organisation changes: the new version extends the expiry.');
    expect(r.stdout).toContain('org:astra is already a member and keeps its key. To change its key, use --rekey.');
    const json = JSON.parse((await publish('--dry-run', '--json')).stdout);
    expect(json).toMatchObject({ version: 3, added: [], changed: [], removed: [], dryRun: true, installed: null, signatures: { given: 0 } });
    expect(await version('open-gate')).toBe(2);
  });

  it('speaks the steward’s language', async () => {
    const r = await runCli(['directory', 'publish', ...keys(0), '--lang', 'de', '--node', at('open-gate').url, '--data-dir', at('open-gate').dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('2 von 3 Signaturen der Koordinierenden nötig, 1 vorhanden. Es wurde nichts gesendet.\n');
    expect(r.stdout).toContain('Verzeichnis von corridor-test, nächste Version 3');
  });
});
