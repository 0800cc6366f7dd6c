import type { ArgDef, ArgsDef, CommandDef, CommandMeta, Resolvable, SubCommandsDef } from 'citty';
import type { Translate } from './i18n/index.js';
import { type Output, displayWidth } from './output.js';

/**
 * The `--help` text, in the chosen language, from the same citty definitions that parse the
 * arguments (citty's own renderer is English-only and colours without asking the terminal).
 */

/** A command whose arguments are not known here. */
export type AnyCommand = CommandDef<any>;

export async function resolve<T>(value: Resolvable<T> | undefined): Promise<T | undefined> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : await value;
}

export async function argsOf(cmd: AnyCommand): Promise<ArgsDef> {
  return (await resolve<ArgsDef>(cmd.args)) ?? {};
}

export async function subCommandsOf(cmd: AnyCommand): Promise<SubCommandsDef> {
  return (await resolve<SubCommandsDef>(cmd.subCommands)) ?? {};
}

export async function renderHelp(cmd: AnyCommand, path: string[], t: Translate, out: Pick<Output, 'style'>): Promise<string> {
  const meta = (await resolve<CommandMeta>(cmd.meta)) ?? {};
  const args = Object.entries(await argsOf(cmd));
  const subs = await subCommandsOf(cmd);
  const positionals = args.filter(([, d]) => d.type === 'positional');
  const options = args.filter(([, d]) => d.type !== 'positional');
  const command = path.join(' ');

  const usage = [command];
  if (Object.keys(subs).length > 0) usage.push('<command>');
  for (const [name, d] of positionals) usage.push(d.required === false ? `[${name.toUpperCase()}]` : `<${name.toUpperCase()}>`);
  usage.push(t('help.optionsHint'));

  const lines: string[] = [];
  if (meta.description) lines.push(meta.description, '');
  lines.push(`${out.style('strong', `${t('help.usage')}:`)} ${usage.join(' ')}`);

  const section = (title: string, rows: [string, string][]) => {
    if (rows.length === 0) return;
    const width = Math.max(...rows.map(([left]) => displayWidth(left)));
    lines.push('', out.style('strong', `${title}:`));
    for (const [left, right] of rows) lines.push(`  ${left}${' '.repeat(width - displayWidth(left))}  ${right}`.trimEnd());
  };

  const commandRows: [string, string][] = [];
  for (const [name, sub] of Object.entries(subs)) {
    const subMeta = await resolve<CommandMeta>((await resolve<AnyCommand>(sub))?.meta);
    if (!subMeta?.hidden) commandRows.push([name, subMeta?.description ?? '']);
  }
  section(t('help.commands'), commandRows);
  section(
    t('help.arguments'),
    positionals.map(([name, d]) => [name.toUpperCase(), d.description ?? '']),
  );
  section(t('help.options'), [...options.map(([name, d]) => [flagLabel(name, d), d.description ?? ''] as [string, string]), ['-h, --help', t('arg.help')]]);
  if (commandRows.length > 0) lines.push('', t('help.more', { command }));
  return `${lines.join('\n')}\n`;
}

function flagLabel(name: string, d: ArgDef): string {
  const aliases = aliasesOf(d).map((a) => (a.length === 1 ? `-${a}` : `--${a}`));
  const hint = d.type === 'string' || d.type === 'enum' ? ` <${d.valueHint ?? name}>` : '';
  return [...aliases, `--${name}`].join(', ') + hint;
}

export function aliasesOf(d: ArgDef): string[] {
  const alias = 'alias' in d ? d.alias : undefined;
  return Array.isArray(alias) ? alias : alias ? [alias] : [];
}
