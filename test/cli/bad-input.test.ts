import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli-io.js';
import { closedPort, notACorridorNode, tokenDir } from '../helpers/cli-servers.js';

/** Bad command lines, files and nodes: one clear line on stderr, a non-zero exit, no stack. */

const data = tokenDir();
let deadNode = '';

beforeAll(async () => {
  deadNode = `http://127.0.0.1:${await closedPort()}`;
  writeFileSync(join(data.dir, 'broken.json'), '{ "name": "Marija Petrović", ');
  writeFileSync(join(data.dir, 'ok.json'), '{ "id": "x", "name": "x" }');
});
afterAll(() => data.remove());

const withNode = (...args: string[]) => [...args, '--node', deadNode, '--data-dir', data.dir];

function oneLine(result: CliResult, exit: number): string {
  expect(result.code).toBe(exit);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
  return lines[0] ?? '';
}

describe('usage errors: exit 2, one line, nothing sent', () => {
  it.each([
    [['directory', 'frobnicate'], /no command "frobnicate"/],
    [['directory', 'search', '--contry', 'RS'], /no option --contry/],
    [['directory', 'search', '--country'], /--country needs a value/],
    [['directory', 'search', '--country', 'Serbia'], /--country must be a two-letter country code/],
    [['directory', 'search', '--country', 'rs', '--route', 'GR,Macedonia'], /--route must be country codes/],
    [['directory', 'search', '--type', 'lawyer'], /--type must be one of: shelter, legal_aid/],
    [['directory', 'search', '--served', 'everyone'], /--served must be one of/],
    [['directory', 'search', '--language', 'Serbian'], /--language must be a language code/],
    [['directory', 'search', '--page', '0'], /--page must be a whole number from 1 to 10,000/],
    [['directory', 'search', '--per-page', 'all'], /--per-page must be a whole number from 1 to 100/],
    [['directory', 'show'], /ORG is missing/],
    [['directory', 'show', 'astra'], /org:astra/],
    [['directory', 'show', 'org:astra', 'org:lefoe'], /Too many words/],
    [['directory', 'import-hsds'], /FILE is missing/],
    [['directory', 'import-hsds', 'x.json', '--type', 'legal_aid,lawyer'], /--type must be one of/],
    [['directory', 'sync', '--peer', 'astra'], /--peer must be a node, such as node:astra/],
  ])('%j', async (args, message) => {
    expect(oneLine(await runCli(withNode(...args)), 2)).toMatch(message);
  });

  it('a --node that is not an address', async () => {
    const r = await runCli(['directory', 'status', '--node', 'not a url', '--data-dir', data.dir]);
    expect(oneLine(r, 2)).toMatch(/--node must be the address of a node/);
  });

  it('no token anywhere: says which flag or variable to set', async () => {
    expect(oneLine(await runCli(['directory', 'status', '--node', deadNode]), 2)).toMatch(/--data-dir/);
  });

  it('a bad CORRIDOR_URL names the variable', async () => {
    const r = await runCli(['directory', 'status', '--data-dir', data.dir], { env: { CORRIDOR_URL: 'ftp://x' } });
    expect(oneLine(r, 2)).toMatch(/^CORRIDOR_URL must be/);
  });

  it('never echoes what was typed: a search text may name a person', async () => {
    const r = await runCli(withNode('directory', 'search', 'Marija Petrović', '--page', '0'));
    expect(oneLine(r, 2)).not.toContain('Marija');
  });

  it('is localised', async () => {
    expect(oneLine(await runCli(withNode('directory', 'search', '--country', 'Srbija', '--lang', 'sr')), 2)).toMatch(/oznaka zemlje od dva slova/);
    expect(oneLine(await runCli(withNode('directory', 'search', '--country', 'Srbija', '--lang', 'mk')), 2)).toMatch(/ознака на земја/);
  });
});

describe('bad files: one line naming the file, nothing sent', () => {
  it('a file that does not exist', async () => {
    const file = join(data.dir, 'missing.json');
    expect(oneLine(await runCli(withNode('directory', 'import-hsds', file)), 1)).toBe(`The file ${file} does not exist. Nothing was sent.`);
  });

  it('a file that is not JSON, without a word of its content', async () => {
    const file = join(data.dir, 'broken.json');
    const line = oneLine(await runCli(withNode('directory', 'import-hsds', file)), 1);
    expect(line).toBe(`The file ${file} is not JSON. Nothing was sent.`);
    expect(line).not.toContain('Marija');
  });

  it('a folder given as the file', async () => {
    expect(oneLine(await runCli(withNode('directory', 'import-hsds', data.dir)), 1)).toMatch(/cannot be read/);
  });

  it('a data folder without a local token', async () => {
    const r = await runCli(['directory', 'status', '--node', deadNode, '--data-dir', join(data.dir, 'elsewhere')]);
    expect(oneLine(r, 1)).toMatch(/no local token in .*elsewhere.*local-token/);
  });

  it('export into a folder that does not exist leaves nothing behind', async () => {
    const server = await notACorridorNode(200, JSON.stringify({ contents: [] }), 'application/json');
    try {
      const r = await runCli(['directory', 'export-hsds', '--out', join(data.dir, 'no', 'such', 'dir.json'), '--node', server.url, '--data-dir', data.dir]);
      expect(oneLine(r, 1)).toMatch(/cannot be written/);
    } finally {
      await server.close();
    }
  });
});

describe('the node: not reachable, or not a Corridor node', () => {
  it('a closed port: exit 3, one line naming the address', async () => {
    for (const args of [['directory', 'status'], ['directory', 'search', 'legal'], ['directory', 'sync'], ['directory', 'import-hsds', join(data.dir, 'ok.json')]]) {
      expect(oneLine(await runCli(withNode(...args)), 3)).toBe(`The Corridor node at ${deadNode} cannot be reached. Is it running?`);
    }
  });

  it('--json adds the wire error body on stdout', async () => {
    const r = await runCli(withNode('directory', 'status', '--json'));
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'PeerUnavailable', message: expect.any(String) } });
    const usage = await runCli(withNode('directory', 'search', '--country', 'Serbia', '--json'));
    expect(JSON.parse(usage.stdout).error.code).toBe('InvalidRequest');
  });

  it('--debug adds the cause and stack', async () => {
    const r = await runCli(withNode('directory', 'status', '--debug'));
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n').length).toBeGreaterThan(2);
    expect(r.stderr).toMatch(/caused by: LocalNodeError/);
  });

  it('a web page instead of the API: BadResponse, one line', async () => {
    for (const status of [200, 502]) {
      const server = await notACorridorNode(status, '<html>It works!</html>');
      try {
        const line = oneLine(await runCli(['directory', 'status', '--node', server.url, '--data-dir', data.dir]), 1);
        expect(line).toMatch(/gave an answer this command does not understand/);
      } finally {
        await server.close();
      }
    }
  });

  it('JSON of another shape: BadResponse too', async () => {
    const server = await notACorridorNode(200, JSON.stringify({ version: 'one' }), 'application/json');
    try {
      const r = await runCli(['directory', 'status', '--node', server.url, '--data-dir', data.dir, '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).error.code).toBe('BadResponse');
    } finally {
      await server.close();
    }
  });
});
