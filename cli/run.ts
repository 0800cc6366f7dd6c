import { runCommand } from 'citty';
import { PROTOCOL_VERSION } from '../protocol/index.js';
import { type Env, processEnv, resolveLang } from './config.js';
import { UsageError } from './errors.js';
import { debugDetails, describeFailure } from './failure.js';
import { type AnyCommand, aliasesOf, argsOf, renderHelp, resolve, subCommandsOf } from './help.js';
import { type Lang, type Translate, translator } from './i18n/index.js';
import type { Io } from './output.js';
import { rootCommand } from './commands/index.js';
import { type CliApp, GLOBAL_VALUE_FLAGS, outputFor } from './commands/shared.js';

/**
 * The runner, testable without a process: finds the command (citty definitions, loaded lazily),
 * checks its options, runs it, and turns any failure into one localised line on stderr and an
 * exit code (0 ok, 1 failed, 2 usage, 3 node unreachable). `--json` also prints the wire error
 * body on stdout; `--debug` adds the stack.
 */

export interface RunOptions {
  env?: Env;
  /** IANA time zone for dates (tests); the system's otherwise */
  timeZone?: string;
  fetch?: typeof fetch;
}

interface Globals {
  lang: string | undefined;
  json: boolean;
  debug: boolean;
  help: boolean;
}

export async function run(args: string[], io: Io, options: RunOptions = {}): Promise<number> {
  // `corridor help directory search` is `corridor directory search --help`
  const argv = args[0] === 'help' ? [...args.slice(1), '--help'] : args;
  const env = options.env ?? processEnv();
  const globals = scanGlobals(argv);
  let t: Translate = translator('en');
  try {
    const lang: Lang = resolveLang(globals.lang, env);
    t = translator(lang);
    const app: CliApp = { io, env, lang, t, path: 'corridor', exitCode: 0, timeZone: options.timeZone, fetch: options.fetch };
    const root = rootCommand(app);
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
      io.stdout(`${PROTOCOL_VERSION}\n`);
      return 0;
    }
    const target = await findCommand(root, argv);
    app.path = target.path.join(' ');
    if (globals.help || typeof target.cmd.run !== 'function') {
      io.stdout(await renderHelp(target.cmd, target.path, t, outputFor(app, false)));
      return 0;
    }
    await checkOptions(target.cmd, target.rest, app.path);
    await runCommand(target.cmd, { rawArgs: target.rest });
    return app.exitCode;
  } catch (error) {
    const failure = describeFailure(error, t);
    if (globals.json) io.stdout(`${JSON.stringify(failure.body, null, 2)}\n`);
    io.stderr(`${failure.line}\n`);
    if (globals.debug) io.stderr(`${debugDetails(error)}\n`);
    return failure.exit;
  }
}

function scanGlobals(argv: string[]): Globals {
  const g: Globals = { lang: undefined, json: false, debug: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (a === '--json') g.json = true;
    else if (a === '--debug') g.debug = true;
    else if (a === '--help' || a === '-h') g.help = true;
    else if (a === '--lang') g.lang = argv[++i];
    else if (a.startsWith('--lang=')) g.lang = a.slice('--lang='.length);
  }
  return g;
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Walks the sub-commands named in argv; everything else is passed on to the command found. */
async function findCommand(root: AnyCommand, argv: string[]): Promise<{ cmd: AnyCommand; path: string[]; rest: string[] }> {
  let cmd = root;
  const path = ['corridor'];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      rest.push(a);
      if (!a.includes('=') && (await takesValue(cmd, a)) && i + 1 < argv.length) rest.push(argv[++i] ?? '');
      continue;
    }
    const subs = await subCommandsOf(cmd);
    if (Object.keys(subs).length > 0) {
      const sub = Object.hasOwn(subs, a) ? await resolve<AnyCommand>(subs[a]) : undefined;
      if (!sub) throw new UsageError('usage.unknownCommand', { name: a.slice(0, 40), command: path.join(' ') });
      cmd = sub;
      path.push(a);
      continue;
    }
    rest.push(a);
  }
  return { cmd, path, rest };
}

async function takesValue(cmd: AnyCommand, flag: string): Promise<boolean> {
  const name = flag.replace(/^-{1,2}/, '');
  if ((GLOBAL_VALUE_FLAGS as readonly string[]).includes(kebab(name))) return true;
  const def = (await argsOf(cmd))[name] ?? (await argsOf(cmd))[kebab(name)];
  return def?.type === 'string' || def?.type === 'enum';
}

/** Unknown options and options missing their value are usage errors, not silently ignored. */
async function checkOptions(cmd: AnyCommand, rest: string[], command: string): Promise<void> {
  const defs = await argsOf(cmd);
  const valueFlags = new Set<string>();
  const allowed = new Set(['help', 'h']);
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === 'positional') continue;
    const names = [name, camel(name), kebab(name), ...aliasesOf(def)];
    for (const n of names) {
      allowed.add(n);
      if (def.type === 'string' || def.type === 'enum') valueFlags.add(n);
      else allowed.add(`no-${n}`);
    }
  }
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') continue;
    const name = a.replace(/^-{1,2}/, '').split('=')[0] ?? '';
    if (!allowed.has(name)) throw new UsageError('usage.unknownOption', { option: a.split('=')[0] ?? a, command });
    if (valueFlags.has(name) && !a.includes('=')) {
      const next = rest[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError('usage.missingValue', { option: `--${name}` });
      i++;
    }
  }
}
