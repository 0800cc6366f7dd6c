import { CountryCode, LanguageCode, NodeId, OrgId } from '../../protocol/index.js';
import { UsageError } from '../errors.js';

/**
 * Checks of option values, each failing with a usage error that names the option and says what
 * is expected (never echoing what was typed: a search text may name a person).
 */

type Value = string | undefined;

function present(value: Value, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError('usage.missingValue', { option });
  return value.trim();
}

export function country(value: Value, option: string): string | undefined {
  const v = present(value, option)?.toUpperCase();
  if (v === undefined) return undefined;
  if (!CountryCode.safeParse(v).success) throw new UsageError('usage.badCountry', { option });
  return v;
}

export function route(value: Value, option: string): string[] | undefined {
  const v = present(value, option);
  if (v === undefined) return undefined;
  const codes = v.split(',').map((c) => c.trim().toUpperCase());
  if (codes.length > 12 || codes.some((c) => !CountryCode.safeParse(c).success)) throw new UsageError('usage.badRoute', { option });
  return codes;
}

export function choice<T extends string>(value: Value, option: string, allowed: readonly T[]): T | undefined {
  const v = present(value, option)?.toLowerCase();
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError('usage.badChoice', { option, allowed: allowed.join(', ') });
  return v as T;
}

/** Every value of an option given several times or as a comma-separated list. */
export function choices<T extends string>(values: string[], option: string, allowed: readonly T[]): T[] | undefined {
  if (values.length === 0) return undefined;
  const all = values.flatMap((v) => (v.trim() === '' ? [''] : v.split(',')));
  return [...new Set(all.map((v) => choice(v, option, allowed) as T))];
}

export function language(value: Value, option: string): string | undefined {
  const v = present(value, option)?.toLowerCase();
  if (v === undefined) return undefined;
  if (!LanguageCode.safeParse(v).success) throw new UsageError('usage.badLanguage', { option });
  return v;
}

export function wholeNumber(value: Value, option: string, min: number, max: number): number | undefined {
  const v = present(value, option);
  if (v === undefined) return undefined;
  const n = /^\d{1,9}$/.test(v) ? Number(v) : Number.NaN;
  if (!(n >= min && n <= max)) throw new UsageError('usage.badNumber', { option, min, max });
  return n;
}

export function text(value: Value, option: string, max: number): string | undefined {
  const v = present(value, option);
  if (v !== undefined && v.length > max) throw new UsageError('usage.badText', { option });
  return v;
}

export function peer(value: Value, option: string): string | undefined {
  const v = present(value, option);
  if (v === undefined) return undefined;
  if (!NodeId.safeParse(v).success) throw new UsageError('usage.badPeer', { option });
  return v;
}

export function org(value: Value, path: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError('usage.missingArgument', { name: 'ORG', command: path });
  const v = value.trim();
  if (!OrgId.safeParse(v).success) throw new UsageError('usage.badOrg');
  return v;
}

/** All values given for `--name` (or `--name=value`) in the raw arguments, in order. */
export function repeated(rawArgs: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i] ?? '';
    if (a === '--') break;
    if (a === `--${name}`) {
      const next = rawArgs[i + 1];
      out.push(next === undefined || next.startsWith('-') ? '' : next);
      if (next !== undefined && !next.startsWith('-')) i++;
    } else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  }
  return out;
}
