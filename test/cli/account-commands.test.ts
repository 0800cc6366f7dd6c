import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli-io.js';
import { type NodeProcess, startNodeProcess } from '../helpers/process.js';

/**
 * Accounts from the command line, black box against a real node process: `corridor init` makes
 * the first operator account and prints its password once; the node takes it in; the operator
 * signs in with it, adds a coordinator and a case worker, changes a role, resets a password,
 * disables an account, signs out. Every refusal is one line and a non-zero exit, naming no
 * password.
 */

const root = mkdtempSync(join(tmpdir(), 'corridor-accounts-cli-'));
const dataDir = join(root, 'astra');
const sessions = join(root, 'sessions');
const ENV = { LANG: 'C', CORRIDOR_SESSION_DIR: sessions };
let node: NodeProcess;
let firstPassword = '';
const file = (name: string, content: string) => {
  const path = join(root, name);
  writeFileSync(path, `${content}\n`, { mode: 0o600 });
  return path;
};
const cli = (...args: string[]) => runCli([...args, '--node', node.url], { env: ENV });
const json = async (...args: string[]) => {
  const r = await cli(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
function oneLine(r: CliResult, exit: number): string {
  expect(r.code, r.stderr).toBe(exit);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
  expect(r.stderr).not.toContain(firstPassword);
  return lines[0] ?? '';
}

beforeAll(async () => {
  // the database is encrypted: a passphrase from a file, and a key file for the node's unattended start
  const keyFile = join(root, 'astra-init.key');
  const init = await runCli(['init', '--data-dir', dataDir, '--org', 'org:astra', '--node', 'node:astra', '--passphrase-file', file('passphrase', 'a long enough passphrase'), '--key-file', keyFile, '--json'], { env: ENV });
  expect(init.code, init.stderr).toBe(0);
  const report = JSON.parse(init.stdout) as { firstAccount: { name: string; password: string } };
  expect(report.firstAccount.name).toBe('operator');
  firstPassword = report.firstAccount.password;
  expect(firstPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
  expect(statSync(join(dataDir, 'first-account.json')).mode & 0o777).toBe(0o600);
  node = await startNodeProcess('astra', dataDir, { CORRIDOR_KEY_FILE: keyFile });
}, 60_000);

afterAll(async () => {
  await node?.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('the first operator account and signing in', () => {
  it('init prints the password once; the node takes the account in and deletes the file; login keeps the session in a 0600 file', async () => {
    expect(existsSync(join(dataDir, 'first-account.json'))).toBe(false);
    const wrong = await cli('login', 'operator', '--password-file', file('wrong', 'not the password at all'));
    expect(oneLine(wrong, 1)).toMatch(/Wrong account name or password/);
    const unknown = await cli('login', 'nobody', '--password-file', file('pw-first', firstPassword));
    expect(oneLine(unknown, 1)).toBe(oneLine(wrong, 1)); // the same line: nothing says whether the account exists
    const r = await cli('login', 'operator', '--password-file', file('pw-first', firstPassword));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Signed in as Operator \(operator\) until/);
    const kept = readdirSync(sessions);
    expect(kept).toHaveLength(1);
    expect(statSync(join(sessions, kept[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(sessions).mode & 0o777).toBe(0o700);
    expect(await json('whoami')).toMatchObject({ machine: false, role: 'operator', account: { name: 'operator' } });
  });

  it('without a password on a pipe or a file: a usage line, exit 2; an unreadable file names the file only', async () => {
    expect(oneLine(await cli('login', 'operator'), 2)).toMatch(/No password/);
    expect(oneLine(await cli('login', 'operator', '--password-file', join(root, 'missing')), 1)).toMatch(/missing/);
  });
});

describe('account commands', () => {
  it('add (password made and shown once, or from a file), list, role, reset-password, disable; the person signs in and out', async () => {
    const added = await json('account', 'add', 'cora', '--role', 'coordinator', '--display-name', 'Cora Coordinator');
    expect(added.account).toMatchObject({ name: 'cora', role: 'coordinator', disabled: false });
    expect(added.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const human = await cli('account', 'add', 'anna', '--role', 'case-worker', '--team', 'team a', '--password-file', file('pw-anna', 'anna long password'));
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Account anna created \(case worker\)/);
    expect(human.stdout).not.toMatch(/anna long password|shown only now/);

    const list = await cli('account', 'list');
    expect(list.stdout).toMatch(/anna\s+anna\s+case worker\s+team a\s+active/);
    expect((await json('account', 'list')).accounts.map((a: { name: string }) => a.name)).toEqual(['anna', 'cora', 'operator']);

    expect((await json('account', 'role', 'anna', 'coordinator')).account.role).toBe('coordinator');
    const reset = await json('account', 'reset-password', 'cora');
    expect(reset.password).not.toBe(added.password);
    expect((await json('account', 'disable', 'anna')).account.disabled).toBe(true);
    expect((await json('account', 'enable', 'anna')).account.disabled).toBe(false);

    // cora signs in with the new password (the old one no longer works), and sees no operator's page
    expect(oneLine(await cli('login', 'cora', '--password-file', file('pw-cora-old', added.password)), 1)).toMatch(/Wrong account name or password/);
    expect((await cli('login', 'cora', '--password-file', file('pw-cora', reset.password))).code).toBe(0);
    expect(await json('whoami')).toMatchObject({ role: 'coordinator', account: { displayName: 'Cora Coordinator' } });
    expect(oneLine(await cli('account', 'add', 'eve', '--role', 'operator'), 1)).toMatch(/may not do that/);
    expect(oneLine(await cli('keys', 'rotate'), 1)).toMatch(/may not do that/);
    const out = await cli('logout');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Signed out/);
    expect(readdirSync(sessions)).toHaveLength(0);
    expect(oneLine(await cli('whoami'), 2)).toMatch(/corridor login/);
  });

  it('bad input: unknown account, bad role, in German too', async () => {
    expect((await cli('login', 'operator', '--password-file', file('pw-first', firstPassword))).code).toBe(0);
    expect(oneLine(await cli('account', 'disable', 'nobody'), 1)).toMatch(/no account named nobody/);
    expect(oneLine(await cli('account', 'add', 'x1', '--role', 'boss'), 2)).toMatch(/--role must be case-worker, coordinator or operator/);
    expect(oneLine(await cli('account', 'role', 'cora', 'boss', '--lang', 'de'), 2)).toMatch(/muss case-worker, coordinator oder operator sein/);
    expect(oneLine(await cli('account', 'add', 'Bad Name!', '--role', 'case-worker'), 1)).toMatch(/name/);
    expect(oneLine(await cli('login', 'operator', '--password-file', file('pw-wrong', 'wrong wrong wrong'), '--lang', 'sr'), 1)).toMatch(/Pogrešno ime naloga ili lozinka/);
  });

  it('case assign: a coordinator gives a case to another case worker and takes it from the team; refusals in one line', async () => {
    expect((await cli('login', 'operator', '--password-file', file('pw-first', firstPassword))).code).toBe(0);
    for (const [name, role, team] of [['coord2', 'coordinator', '-'], ['worker2', 'case-worker', 't2'], ['worker3', 'case-worker', 't3']] as const) {
      const r = await cli('account', 'add', name, '--role', role, ...(team === '-' ? [] : ['--team', team]), '--password-file', file(`pw-${name}`, `${name} long password`));
      expect(r.code, r.stderr).toBe(0);
    }
    const signIn = async (name: string) => ((await (await fetch(`${node.url}/api/v1/session`, { method: 'POST', body: JSON.stringify({ name, password: `${name} long password` }) })).json()) as { token: string }).token;
    const worker2 = await signIn('worker2');
    const opened = await fetch(`${node.url}/api/v1/cases`, { method: 'POST', headers: { authorization: `Bearer ${worker2}` }, body: JSON.stringify({ person: { givenName: 'Marija' } }) });
    const caseId = ((await opened.json()) as { id: string }).id;

    expect((await cli('login', 'coord2', '--password-file', file('pw-coord2', 'coord2 long password'))).code).toBe(0);
    expect(oneLine(await cli('case', 'assign', caseId), 2)).toMatch(/Give --to/);
    expect(oneLine(await cli('case', 'assign', caseId, '--to', 'nobody'), 1)).toMatch(/no account named nobody/);
    const assigned = await json('case', 'assign', caseId, '--to', 'worker3', '--team', '-');
    expect(assigned).toMatchObject({ caseId, team: null });
    const human = await cli('case', 'assign', caseId, '--to', 'worker3');
    expect(human.stdout).toMatch(new RegExp(`Case ${caseId} is assigned to worker3, team -`));
    const read = async (token: string) => (await fetch(`${node.url}/api/v1/cases/${caseId}`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await read(worker2)).toBe(403);
    expect(await read(await signIn('worker3'))).toBe(200);
  });
});
