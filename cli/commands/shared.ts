import type { ActionContext } from '../actions/context.js';
import { createLocalClient } from '../client.js';
import { type Env, colourAllowed, loadConnection, readToken } from '../config.js';
import { UsageError } from '../errors.js';
import type { Lang, Translate } from '../i18n/index.js';
import { type Io, type Output, createOutput } from '../output.js';

/**
 * What every command file receives: where to write, the environment, the language, and the
 * slot for its exit code (citty does not pass a sub-command's result back).
 */
export interface CliApp {
  readonly io: Io;
  readonly env: Env;
  readonly lang: Lang;
  readonly t: Translate;
  /** the command path, e.g. `corridor directory search`, for usage messages */
  path: string;
  exitCode: number;
  /** IANA time zone for dates (tests pin it); the system's otherwise */
  readonly timeZone?: string | undefined;
  readonly fetch?: typeof fetch | undefined;
}

export function outputArgs(t: Translate) {
  return {
    json: { type: 'boolean', description: t('arg.json') },
    lang: { type: 'string', description: t('arg.lang'), valueHint: 'en|sr|mk|sq|de' },
    debug: { type: 'boolean', description: t('arg.debug') },
  } as const;
}

export function connectionArgs(t: Translate) {
  return {
    node: { type: 'string', description: t('arg.node'), valueHint: 'url' },
    'data-dir': { type: 'string', description: t('arg.dataDir'), valueHint: 'dir' },
    'token-file': { type: 'string', description: t('arg.tokenFile'), valueHint: 'file' },
  } as const;
}

/** Flags taken at any level, before or after the command name. */
export const GLOBAL_VALUE_FLAGS = ['lang', 'node', 'data-dir', 'token-file'] as const;

export interface ConnectionArgs {
  node?: string | undefined;
  'data-dir'?: string | undefined;
  'token-file'?: string | undefined;
  json?: boolean | undefined;
}

export function outputFor(app: CliApp, json: boolean): Output {
  return createOutput({
    io: app.io,
    lang: app.lang,
    json,
    color: app.io.stdoutIsTTY && colourAllowed(app.env),
    ...(app.timeZone === undefined ? {} : { timeZone: app.timeZone }),
  });
}

/** Connects to the node the flags and environment name, then runs the action. */
export async function withNode(app: CliApp, args: ConnectionArgs, action: (ctx: ActionContext) => Promise<number>): Promise<void> {
  const connection = loadConnection({ node: args.node, dataDir: args['data-dir'], tokenFile: args['token-file'] }, app.env);
  const token = readToken(connection.tokenFile);
  const client = createLocalClient({ baseUrl: connection.nodeUrl, token, ...(app.fetch ? { fetch: app.fetch } : {}) });
  app.exitCode = await action({ client, out: outputFor(app, args.json === true), t: app.t });
}

/** Positional words beyond those a command takes: a usage error (usually missing quotes). */
export function noExtraWords(app: CliApp, words: string[], expected: number): void {
  if (words.length > expected) throw new UsageError('usage.extraArgument', { command: app.path });
}
