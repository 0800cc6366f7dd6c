import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryStatus } from '../../cli/actions/directory-status.js';
import { directorySearch } from '../../cli/actions/directory-search.js';
import { fingerprint } from '../../protocol/index.js';
import { actionContext, runCli } from '../helpers/cli-io.js';
import { DAY_MS, type DirectoryNetwork, seed, startDirectoryNetwork } from '../helpers/directory-network.js';
import { orgKeyOf } from '../helpers/network.js';

/**
 * The directory commands against real nodes in this process (HTTP, SQLite, signatures, the
 * stewards' signed versions): through the `corridor` runner, and the actions on their own.
 */

let dn: DirectoryNetwork;
let work: string;
const at = (name: string) => {
  const n = dn.net.nodes[name];
  if (!n) throw new Error(name);
  return n;
};
const cli = (name: string, ...args: string[]) => runCli([...args, '--node', at(name).url, '--data-dir', at(name).dataDir]);

beforeAll(async () => {
  dn = await startDirectoryNetwork(['astra', 'lefoe-ibf']);
  work = mkdtempSync(join(tmpdir(), 'corridor-cli-dir-'));
});
afterAll(async () => {
  await dn.close();
  rmSync(work, { recursive: true, force: true });
});

describe('corridor directory, step by step on a new network', () => {
  it('status before any directory: says there is none, and how to get one', async () => {
    const r = await cli('astra', 'directory', 'status');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('There is no directory yet');
    const json = JSON.parse((await cli('astra', 'directory', 'status', '--json')).stdout);
    expect(json).toMatchObject({ version: 0, hash: null, fresh: false, organisations: 0 });
  });

  it('sync with no directory and no partner known: one line, exit 1', async () => {
    const r = await cli('lefoe-ibf', 'directory', 'sync');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/No partner node could be reached/);
    expect(JSON.parse((await cli('lefoe-ibf', 'directory', 'sync', '--json')).stdout).outcome).toBe('unreachable');
  });

  it('import-hsds: an invalid document lists every path, never a value, and imports nothing', async () => {
    const file = join(work, 'invalid.json');
    const profile = structuredClone(seed().get('org:astra')?.profile) as Record<string, unknown>;
    profile.services = [{ id: 'x', name: 'Marija Petrović', status: 42 }];
    profile.email = 'not an e-mail Marija';
    writeFileSync(file, JSON.stringify(profile));
    const r = await cli('astra', 'directory', 'import-hsds', file);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`The file ${file} does not match HSDS 3.0`);
    const paths = r.stdout.trim().split('\n');
    expect(paths.length).toBeGreaterThan(0);
    for (const line of paths) expect(line).toMatch(/^document/);
    expect(r.stdout + r.stderr).not.toContain('Marija');
    const json = await cli('astra', 'directory', 'import-hsds', file, '--json');
    expect(JSON.parse(json.stdout).error.issues.length).toBe(paths.length);
    expect(JSON.parse((await cli('astra', 'directory', 'status', '--json')).stdout).submissions).toEqual([]);
  });

  it('import-hsds: our own organisation is signed and waits for the stewards', async () => {
    const file = join(work, 'astra.json');
    const profile = seed().get('org:astra')?.profile;
    writeFileSync(file, `\ufeff${JSON.stringify(profile, null, 2)}`);
    const r = await cli('astra', 'directory', 'import-hsds', file, '--own', String(profile?.id));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Imported. Organisations: 1, services: ${profile?.services.length}.`);
    expect(r.stdout).toMatch(/org:astra \(entry \d+\)/);
    expect(r.stdout).toContain('Not in a published directory yet');
    const status = JSON.parse((await cli('astra', 'directory', 'status', '--json')).stdout);
    expect(status.submissions).toEqual([{ org: 'org:astra', seq: expect.any(Number) }]);
    expect((await cli('astra', 'directory', 'status')).stdout).toMatch(/Waiting for the next directory version: org:astra/);
  });

  it('status once the stewards published: fresh until the expiry, with the counts', async () => {
    await dn.submitOwn('lefoe-ibf');
    const v1 = await dn.publish({ from: ['astra', 'lefoe-ibf'] });
    for (const name of ['astra', 'lefoe-ibf']) expect((await dn.install(name, v1.body)).status).toBe(200);
    const r = await cli('astra', 'directory', 'status');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Directory of corridor-test, version 1');
    expect(r.stdout).toContain(`Fresh until ${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(v1.manifest.expires * 1000))}.`);
    expect(r.stdout).toContain('Organisations: 2 (with a Corridor node: 2)');
    expect(r.stdout).not.toContain('STALE');
    const de = await runCli(['directory', 'status', '--lang', 'de', '--node', at('astra').url, '--data-dir', at('astra').dataDir]);
    expect(de.stdout).toContain('Aktuell bis');
  });

  it('search: a table with the why line, demo data marked, page X of Y', async () => {
    const r = await cli('astra', 'directory', 'search', '--country', 'at', '--type', 'legal_aid');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Organisation\s+Service\s+Place\s+Languages\s+For\s+24\/7\s+Licence$/);
    expect(r.stdout).toContain('LEFÖ-IBF (demo)');
    expect(r.stdout).toMatch(/ {2}why: /);
    expect(r.stdout).toContain('Entries marked (demo) are invented for the demo');
    expect(r.stdout).toMatch(/Page 1 of 1 \(found: 1\)/);
    expect(r.stdout).not.toContain('ASTRA');
    const json = JSON.parse((await cli('astra', 'directory', 'search', '--country', 'AT', '--type', 'legal_aid', '--json')).stdout);
    expect(json.results[0]).toMatchObject({ org: 'org:lefoe-ibf', demo: true, service: { types: expect.arrayContaining(['legal_aid']) } });
  });

  it('search along the route: one section per country, in travel order, in the language asked for', async () => {
    const r = await runCli(['directory', 'search', '--route', 'AT,RS', '--lang', 'sr', '--node', at('lefoe-ibf').url, '--data-dir', at('lefoe-ibf').dataDir]);
    expect(r.code).toBe(0);
    const austria = r.stdout.indexOf('Austrija (AT): nađeno');
    const serbia = r.stdout.indexOf('Srbija (RS): nađeno');
    expect(austria).toBeGreaterThanOrEqual(0);
    expect(serbia).toBeGreaterThan(austria);
    expect(r.stdout).toMatch(/Strana 1 od \d+/);
  });

  it('search: nothing found says so', async () => {
    const r = await cli('astra', 'directory', 'search', 'zzzqqq-nothing-like-this');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Nothing found. Try fewer filters.\n');
  });

  it('show: name, the fingerprint to read aloud, nodes and keys, services with their facts', async () => {
    const r = await cli('lefoe-ibf', 'directory', 'show', 'org:astra');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('ASTRA (org:astra)');
    expect(r.stdout).toContain(`Key fingerprint (read it aloud to check): ${fingerprint(orgKeyOf('astra').publicKey)}`);
    expect(r.stdout).toMatch(new RegExp(`Node node:astra at ${at('astra').url}`));
    expect(r.stdout).toMatch(/Key \S+: valid from .+ to /);
    expect(r.stdout).toContain('- ASTRA SOS hotline');
    expect(r.stdout).toMatch(/Licence: .+, valid until /);
    expect(r.stdout).toContain('Works in: Beograd, Serbia (RS)');
    expect(r.stdout).toContain('Type: legal aid, accompaniment');
    const json = JSON.parse((await cli('lefoe-ibf', 'directory', 'show', 'org:astra', '--json')).stdout);
    expect(json).toMatchObject({ org: 'org:astra', name: 'ASTRA', orgKey: { fingerprint: fingerprint(orgKeyOf('astra').publicKey) } });
  });

  it('show: an organisation not in the directory is one line, exit 1', async () => {
    const r = await cli('astra', 'directory', 'show', 'org:nobody');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Not found.\n');
  });

  it('export-hsds: the whole directory into a file, written whole, nothing left behind', async () => {
    const dir = join(work, 'export');
    mkdirSync(dir);
    const file = join(dir, 'directory.json');
    const r = await cli('astra', 'directory', 'export-hsds', '--out', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Saved the directory \(HSDS 3\.0, .+\) to .*directory\.json\.\n$/);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.contents.map((o: { name: string }) => o.name).sort()).toEqual(['ASTRA', 'LEFÖ-IBF']);
    expect(readdirSync(dir)).toEqual(['directory.json']);
    const stdout = await cli('astra', 'directory', 'export-hsds');
    expect(JSON.parse(stdout.stdout)).toEqual(doc);
  });

  it('sync: a partner brings a newer version; then it is current', async () => {
    await dn.submitOwn('astra', (p) => {
      p.description = `${p.description} (updated)`;
    });
    const v2 = await dn.publish({ from: ['astra'] });
    expect((await dn.install('astra', v2.body)).status).toBe(200);
    const r = await cli('lefoe-ibf', 'directory', 'sync', '--peer', 'node:astra');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Directory updated to version 2 from node:astra \(.+\)\.\n$/);
    const again = await cli('lefoe-ibf', 'directory', 'sync', '--peer', 'node:astra');
    expect(again.stdout).toBe('The directory is up to date (version 2).\n');
    expect((await cli('lefoe-ibf', 'directory', 'status')).stdout).toMatch(/Last refresh: .+, from node:astra: already up to date/);
  });

  it('status after the expiry: STALE since the date, no new referrals', async () => {
    dn.net.clock.advance({ ms: 40 * DAY_MS });
    const r = await cli('astra', 'directory', 'status');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/STALE since .+: no new referrals until the directory is refreshed\./);
    expect(JSON.parse((await cli('astra', 'directory', 'status', '--json')).stdout)).toMatchObject({ fresh: false, staleSince: expect.any(Number) });
  });

  it('a wrong token: the node refuses, one line, exit 1', async () => {
    const tokenFile = join(work, 'wrong-token');
    writeFileSync(tokenFile, 'not-the-token\n');
    const r = await runCli(['directory', 'status', '--node', at('astra').url, '--token-file', tokenFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('The node did not accept the token: sign in again with corridor login (scripts: check --data-dir or --token-file).\n');
  });
});

describe('the actions on their own, without the runner', () => {
  it('status and search write through `out` and return the exit code', async () => {
    const { ctx, stdout } = actionContext(at('astra').url, at('astra').token, { lang: 'mk' });
    expect(await directoryStatus(ctx)).toBe(0);
    expect(stdout()).toContain('Именик на мрежата corridor-test');
    const json = actionContext(at('astra').url, at('astra').token, { json: true });
    expect(await directorySearch(json.ctx, { type: 'hotline' })).toBe(0);
    expect(JSON.parse(json.stdout()).results.map((r: { org: string }) => r.org)).toContain('org:astra');
  });
});
