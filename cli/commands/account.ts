import { defineCommand } from 'citty';
import { accountAdd, accountChange, accountList } from '../actions/account.js';
import { ROLES, type Role } from '../api/accounts.js';
import { UsageError } from '../errors.js';
import { refusing } from '../operator.js';
import { readPassword } from './session.js';
import { type CliApp, type ConnectionArgs, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import type { ActionContext } from '../actions/context.js';

/** An account named that does not exist: one line, exit 1 (a Refusal). */
const onAccount = (app: CliApp, args: ConnectionArgs, action: (ctx: ActionContext) => Promise<number>) =>
  refusing(app, args.json === true, async () => {
    await withNode(app, args, action);
    return app.exitCode;
  });

const role = (value: string | undefined, option: string): Role => {
  if (value === undefined || !(ROLES as readonly string[]).includes(value)) throw new UsageError('usage.badRole', { option });
  return value as Role;
};

/** `corridor account add|list|disable|enable|role|reset-password`. */
export function accountCommand(app: CliApp) {
  const common = { ...connectionArgs(app.t), ...outputArgs(app.t) };
  const name = { type: 'positional', description: app.t('arg.account.name'), required: true } as const;
  const passwordFile = { type: 'string', description: app.t('arg.passwordFile'), valueHint: 'file' } as const;
  const toggle = (key: 'disable' | 'enable') =>
    defineCommand({
      meta: { name: key, description: app.t(`help.account.${key}`) },
      args: { name, ...common },
      async run({ args }) {
        noExtraWords(app, args._, 1);
        await onAccount(app, args, (ctx) => accountChange(ctx, args.name, { disabled: key === 'disable' }));
      },
    });
  return defineCommand({
    meta: { name: 'account', description: app.t('help.account') },
    args: common,
    subCommands: {
      add: () =>
        defineCommand({
          meta: { name: 'add', description: app.t('help.account.add') },
          args: {
            name,
            role: { type: 'string', description: app.t('arg.account.role'), valueHint: 'role', required: true },
            'display-name': { type: 'string', description: app.t('arg.account.displayName'), valueHint: 'text' },
            team: { type: 'string', description: app.t('arg.account.team'), valueHint: 'team' },
            'password-file': passwordFile,
            ...common,
          },
          async run({ args }) {
            noExtraWords(app, args._, 1);
            const r = role(args.role, '--role');
            const password = args['password-file'] ? await readPassword(app, args['password-file'], args.name) : null;
            await withNode(app, args, (ctx) => accountAdd(ctx, { name: args.name, displayName: args['display-name'] || args.name, role: r, team: args.team || null, password }));
          },
        }),
      list: () =>
        defineCommand({
          meta: { name: 'list', description: app.t('help.account.list') },
          args: common,
          async run({ args }) {
            noExtraWords(app, args._, 0);
            await withNode(app, args, (ctx) => accountList(ctx));
          },
        }),
      disable: () => toggle('disable'),
      enable: () => toggle('enable'),
      role: () =>
        defineCommand({
          meta: { name: 'role', description: app.t('help.account.role') },
          args: { name, role: { type: 'positional', description: app.t('arg.account.role'), required: true }, ...common },
          async run({ args }) {
            noExtraWords(app, args._, 2);
            const r = role(args.role, 'role');
            await onAccount(app, args, (ctx) => accountChange(ctx, args.name, { role: r }));
          },
        }),
      'reset-password': () =>
        defineCommand({
          meta: { name: 'reset-password', description: app.t('help.account.resetPassword') },
          args: { name, 'password-file': passwordFile, ...common },
          async run({ args }) {
            noExtraWords(app, args._, 1);
            const password = args['password-file'] ? await readPassword(app, args['password-file'], args.name) : null;
            await onAccount(app, args, (ctx) => accountChange(ctx, args.name, { password }));
          },
        }),
    },
  });
}
