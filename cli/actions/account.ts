import { randomBytes, toBase64Url } from '../../protocol/index.js';
import { type Account, type Role, accountsApi } from '../api/accounts.js';
import { EXIT } from '../errors.js';
import { Refusal } from '../operator.js';
import type { ActionContext } from './context.js';

/**
 * `corridor account add|list|disable|enable|role|reset-password` for operators and coordinators.
 * Without `--password-file` a new password is made here (18 random bytes) and shown once, to be
 * handed over in person; the node keeps only its scrypt hash.
 */

export const newPassword = () => toBase64Url(randomBytes(18));

async function byName(ctx: ActionContext, name: string): Promise<Account> {
  const found = (await accountsApi.list(ctx.client)).find((a) => a.name === name.trim().toLowerCase());
  if (!found) throw new Refusal('account.unknown', { name: name.slice(0, 64) });
  return found;
}

export async function accountAdd(ctx: ActionContext, input: { name: string; displayName: string; role: Role; team: string | null; password: string | null }): Promise<number> {
  const password = input.password ?? newPassword();
  const made = await accountsApi.add(ctx.client, { ...input, password });
  if (ctx.out.json) ctx.out.data({ account: made, ...(input.password === null ? { password } : {}) });
  else {
    ctx.out.line(ctx.out.style('ok', ctx.t('account.created', { name: made.name, role: ctx.t(`role.${made.role}`) })));
    if (input.password === null) ctx.out.line(ctx.t('account.password', { password }));
  }
  return EXIT.ok;
}

export async function accountList(ctx: ActionContext): Promise<number> {
  const accounts = await accountsApi.list(ctx.client);
  if (ctx.out.json) {
    ctx.out.data({ accounts });
    return EXIT.ok;
  }
  if (accounts.length === 0) ctx.out.line(ctx.t('account.none'));
  else
    ctx.out.table(
      [ctx.t('account.col.name'), ctx.t('account.col.displayName'), ctx.t('account.col.role'), ctx.t('account.col.team'), ctx.t('account.col.state')],
      accounts.map((a) => [a.name, a.displayName, ctx.t(`role.${a.role}`), a.team ?? '-', a.disabled ? ctx.t('account.disabled') : ctx.t('account.active')]),
    );
  return EXIT.ok;
}

export async function accountChange(ctx: ActionContext, name: string, change: { disabled?: boolean; role?: Role; password?: string | null }): Promise<number> {
  const account = await byName(ctx, name);
  const password = change.password === null ? newPassword() : change.password;
  const body = { ...(change.disabled === undefined ? {} : { disabled: change.disabled }), ...(change.role === undefined ? {} : { role: change.role }), ...(password === undefined ? {} : { password }) };
  const changed = await accountsApi.change(ctx.client, account.id, body);
  if (ctx.out.json) ctx.out.data({ account: changed, ...(change.password === null ? { password } : {}) });
  else {
    ctx.out.line(ctx.out.style('ok', ctx.t('account.changed', { name: changed.name })));
    if (change.password === null) ctx.out.line(ctx.t('account.password', { password: password! }));
  }
  return EXIT.ok;
}

/** `corridor case assign`: `--to <account name>` and/or `--team`; `-` for nobody. */
export async function caseAssign(ctx: ActionContext, caseId: string, input: { to?: string | undefined; team?: string | undefined }): Promise<number> {
  const accountId = input.to === undefined ? undefined : input.to === '-' ? null : (await byName(ctx, input.to)).id;
  const team = input.team === undefined ? undefined : input.team === '-' ? null : input.team;
  const assigned = await accountsApi.assign(ctx.client, caseId, { ...(accountId === undefined ? {} : { accountId }), ...(team === undefined ? {} : { team }) });
  if (ctx.out.json) ctx.out.data(assigned);
  else {
    const name = assigned.accountId === null ? '-' : ((await accountsApi.list(ctx.client)).find((a) => a.id === assigned.accountId)?.name ?? assigned.accountId);
    ctx.out.line(ctx.out.style('ok', ctx.t('case.assigned', { id: caseId, account: name, team: assigned.team ?? '-' })));
  }
  return EXIT.ok;
}
