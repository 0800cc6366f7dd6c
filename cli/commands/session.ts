import { readFileSync } from 'node:fs';
import { defineCommand } from 'citty';
import { login, logout, whoami } from '../actions/session.js';
import { createLocalClient } from '../client.js';
import { loadNodeUrl, sessionFile } from '../config.js';
import { FileError, UsageError } from '../errors.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, outputFor, withNode } from './shared.js';

/** The password: `--password-file` (first line), else asked without echo or read from stdin. */
export async function readPassword(app: CliApp, file: string | undefined, name: string): Promise<string> {
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new FileError(code === 'ENOENT' ? 'file.notFound' : 'file.unreadable', file, { cause: error });
    }
    const line = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
    if (line === '') throw new UsageError('login.noPassword');
    return line;
  }
  const typed = app.io.readSecret ? await app.io.readSecret(app.t('login.prompt', { name: name.slice(0, 64) })) : null;
  if (typed === null || typed === '') throw new UsageError('login.noPassword');
  return typed;
}

/** `corridor login <name>`: a session for this person at this node, kept in their own 0600 file. */
export function loginCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'login', description: app.t('help.login') },
    args: {
      name: { type: 'positional', description: app.t('arg.login.name'), required: true },
      'password-file': { type: 'string', description: app.t('arg.passwordFile'), valueHint: 'file' },
      node: connectionArgs(app.t).node,
      ...outputArgs(app.t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const nodeUrl = loadNodeUrl(args.node, app.env);
      const file = sessionFile(nodeUrl, app.env);
      if (file === null) throw new UsageError('login.noSessionFolder');
      const password = await readPassword(app, args['password-file'], args.name);
      const client = createLocalClient({ baseUrl: nodeUrl, token: 'none', ...(app.fetch ? { fetch: app.fetch } : {}) });
      app.exitCode = await login({ client, out: outputFor(app, args.json === true), t: app.t }, args.name, password, file);
    },
  });
}

/** `corridor logout`: ends the session at the node and deletes the file. */
export function logoutCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'logout', description: app.t('help.logout') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      const file = args['token-file'] || args['data-dir'] ? null : sessionFile(loadNodeUrl(args.node, app.env), app.env);
      await withNode(app, args, (ctx) => logout(ctx, file));
    },
  });
}

/** `corridor whoami`. */
export function whoamiCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'whoami', description: app.t('help.whoami') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      await withNode(app, args, (ctx) => whoami(ctx));
    },
  });
}
