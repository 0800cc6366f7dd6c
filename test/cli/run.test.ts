import { describe, expect, it } from 'vitest';
import { CLEAN_ENV, runCli } from '../helpers/cli-io.js';

describe('corridor: the runner, help and the commands that need no node', () => {
  it('prints help with the commands and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const command of ['directory', 'demo', 'version']) expect(stdout).toContain(command);
  });

  it('with no command, or as `help`, prints the same help', async () => {
    expect((await runCli([])).stdout).toBe((await runCli(['--help'])).stdout);
    expect((await runCli(['help'])).stdout).toBe((await runCli(['--help'])).stdout);
    expect((await runCli(['help', 'directory', 'sync'])).stdout).toBe((await runCli(['directory', 'sync', '--help'])).stdout);
  });

  it('every directory command has its own --help, with --json among its options', async () => {
    for (const sub of ['status', 'search', 'show', 'import-hsds', 'export-hsds', 'sync']) {
      const { code, stdout } = await runCli(['directory', sub, '--help']);
      expect(code, sub).toBe(0);
      expect(stdout, sub).toContain(`corridor directory ${sub}`);
      expect(stdout, sub).toContain('--json');
    }
  });

  it('prints the protocol version, as a command and as --version', async () => {
    expect(await runCli(['version'])).toEqual({ code: 0, stdout: 'corridor/1\n', stderr: '' });
    expect((await runCli(['--version'])).stdout).toBe('corridor/1\n');
    expect(JSON.parse((await runCli(['version', '--json'])).stdout)).toEqual({ protocol: 'corridor/1' });
  });

  it('the demo has its help in the language asked for', async () => {
    expect((await runCli(['demo', '--help', '--lang', 'de'])).stdout).toMatch(/Netz weiterlaufen/);
    expect((await runCli(['--lang=sr', 'demo', '--help'])).stdout).toMatch(/ostavi mrežu da radi/);
  });

  it('an unknown command is one clear line on stderr and exit 2', async () => {
    const { code, stdout, stderr } = await runCli(['refer-now']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('refer-now');
    expect((await runCli(['directory', 'serch'])).code).toBe(2);
  });

  it('takes the language from the locale, and --lang over it', async () => {
    const mk = await runCli(['--help'], { env: { LANG: 'mk_MK.UTF-8' } });
    expect(mk.stdout).toContain('Употреба');
    const sq = await runCli(['--help'], { env: { LANG: 'de_AT.UTF-8', LC_ALL: 'sq_AL.UTF-8' } });
    expect(sq.stdout).toContain('Përdorimi');
    const de = await runCli(['--help', '--lang', 'de'], { env: { LANG: 'sr_RS.UTF-8' } });
    expect(de.stdout).toContain('Aufruf');
    const fallback = await runCli(['--help'], { env: { LANG: 'fr_FR.UTF-8' } });
    expect(fallback.stdout).toContain('Usage');
    expect((await runCli(['--help'], { env: { ...CLEAN_ENV, CORRIDOR_LANG: 'sr' } })).stdout).toContain('Upotreba');
  });

  it('an unknown --lang is a usage error naming the languages there are', async () => {
    const { code, stderr } = await runCli(['demo', '--lang', 'fr']);
    expect(code).toBe(2);
    expect(stderr).toBe('Unknown language "fr". Available: en, sr, mk, sq, de.\n');
  });
});
