import { Email, FieldPointer, IsoDate, OrgId, Phone, RetentionPeriod } from '../../protocol/index.js';
import { UsageError } from '../errors.js';
import type { CliApp } from './shared.js';
import * as v from './values.js';

/**
 * Checks of the case-work options. Like values.ts, a failure names the option and what is
 * expected, never what was typed (it may be a person's name or phone number).
 */

type Value = string | undefined;

/** an option the command cannot do without: a usage error (exit 2) naming it */
export function required<T>(value: T | undefined, option: string, app: CliApp): T {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) throw new UsageError('usage.missingOption', { option, command: app.path });
  return value;
}

/** the id a command acts on (a case, consent or referral), as Corridor prints it */
export function id(value: Value, name: string, app: CliApp): string {
  if (value === undefined || value.trim() === '') throw new UsageError('usage.missingArgument', { name, command: app.path });
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(trimmed)) throw new UsageError('usage.badId', { name });
  return trimmed;
}

/** `YYYY-MM-DD`, a day that exists */
export function date(value: Value, option: string): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!IsoDate.safeParse(trimmed).success) throw new UsageError('usage.badDate', { option });
  return trimmed;
}

/** a calendar day as unix seconds, at 00:00 UTC */
export const daySeconds = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 1000;

export function orgOption(value: Value, option: string): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!OrgId.safeParse(trimmed).success) throw new UsageError('usage.badOrgOption', { option });
  return trimmed;
}

export function orgs(rawArgs: readonly string[], name: string): string[] {
  return [...new Set(v.repeated(rawArgs, name).flatMap((x) => x.split(',')).map((x) => orgOption(x, `--${name}`) as string))];
}

export function fields(rawArgs: readonly string[], name: string): string[] {
  const all = v.repeated(rawArgs, name).flatMap((x) => x.split(','));
  for (const f of all) if (!FieldPointer.safeParse(f.trim()).success) throw new UsageError('usage.badField', { option: `--${name}` });
  return [...new Set(all.map((f) => f.trim()))];
}

export function countries(rawArgs: readonly string[], name: string): string[] {
  return [...new Set(v.repeated(rawArgs, name).flatMap((x) => x.split(',')).map((x) => v.country(x, `--${name}`) as string))];
}

export function languages(rawArgs: readonly string[], name: string): string[] {
  return [...new Set(v.repeated(rawArgs, name).flatMap((x) => x.split(',')).map((x) => v.language(x, `--${name}`) as string))];
}

export function phone(value: Value, option: string): string | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined) return undefined;
  if (!Phone.safeParse(trimmed).success) throw new UsageError('usage.badPhone', { option });
  return trimmed;
}

export function email(value: Value, option: string): string | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined) return undefined;
  if (!Email.safeParse(trimmed).success) throw new UsageError('usage.badEmail', { option });
  return trimmed;
}

export function staff(value: Value, option: string): string | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined) return undefined;
  if (!/^[A-Za-z0-9:_-]{1,64}$/.test(trimmed)) throw new UsageError('usage.badStaff', { option });
  return trimmed;
}

export function retention(value: Value, option: string): string | undefined {
  const trimmed = value?.trim().toUpperCase();
  if (trimmed === undefined) return undefined;
  if (!RetentionPeriod.safeParse(trimmed).success) throw new UsageError('usage.badRetention', { option });
  return trimmed;
}

/** the contact person at our side, from --contact-name, --contact-role, --contact-phone, --contact-email */
export function contact(args: { 'contact-name'?: string; 'contact-role'?: string; 'contact-phone'?: string; 'contact-email'?: string }, app: CliApp) {
  const name = required(v.text(args['contact-name'], '--contact-name', 200), '--contact-name', app);
  const role = v.text(args['contact-role'], '--contact-role', 100);
  const tel = phone(args['contact-phone'], '--contact-phone');
  const mail = email(args['contact-email'], '--contact-email');
  return { name, ...(role ? { role } : {}), ...(tel ? { phone: tel } : {}), ...(mail ? { email: mail } : {}) };
}

export function contactArgs(t: CliApp['t']) {
  return {
    'contact-name': { type: 'string', description: t('arg.contactName'), valueHint: 'name' },
    'contact-role': { type: 'string', description: t('arg.contactRole'), valueHint: 'role' },
    'contact-phone': { type: 'string', description: t('arg.contactPhone'), valueHint: 'phone' },
    'contact-email': { type: 'string', description: t('arg.contactEmail'), valueHint: 'e-mail' },
  } as const;
}
