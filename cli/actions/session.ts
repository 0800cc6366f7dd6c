import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { accountsApi } from '../api/accounts.js';
import type { LocalClient } from '../client.js';
import { EXIT, FileError } from '../errors.js';
import type { ActionContext } from './context.js';

/**
 * `corridor login` / `logout` / `whoami` (ADR 0018). The session token goes into a 0600 file in a
 * 0700 folder of the person's own (cli/config.ts `sessionFile`), one per node, written atomically.
 * A wrong name or password is one line (`LoginFailed`), never which of the two.
 */

export async function login(ctx: Omit<ActionContext, 'client'> & { client: LocalClient }, name: string, password: string, file: string): Promise<number> {
  const { out, t } = ctx;
  const signedIn = await accountsApi.login(ctx.client, name, password);
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${signedIn.token}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } catch (error) {
    throw new FileError('file.cannotWrite', file, { cause: error });
  }
  const a = signedIn.account;
  if (out.json) out.data({ account: a, expiresAt: signedIn.expiresAt });
  else out.line(out.style('ok', t('login.done', { name: a.displayName, role: t(`role.${a.role}`), date: out.date(Math.floor(signedIn.expiresAt / 1000)) })));
  return EXIT.ok;
}

export async function logout(ctx: ActionContext, file: string | null): Promise<number> {
  await accountsApi.logout(ctx.client);
  if (file !== null) rmSync(file, { force: true });
  if (ctx.out.json) ctx.out.data({ signedOut: true });
  else ctx.out.line(ctx.t('logout.done'));
  return EXIT.ok;
}

export async function whoami({ client, out, t }: ActionContext): Promise<number> {
  const who = await accountsApi.whoami(client);
  if (out.json) {
    out.data(who);
    return EXIT.ok;
  }
  if (who.machine) out.line(t('whoami.machine'));
  else out.line(t('whoami.account', { displayName: who.account.displayName, name: who.account.name, role: t(`role.${who.account.role}`), team: who.account.team ?? '-', date: out.date(Math.floor(Math.min(who.expiresAt, who.idleExpiresAt) / 1000)) }));
  return EXIT.ok;
}
