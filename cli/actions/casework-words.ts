import { ProtocolError } from '../../protocol/index.js';
import type { ContactSeen } from '../api/casework.js';
import { EXIT } from '../errors.js';
import { en } from '../i18n/en.js';
import type { MessageId, Translate } from '../i18n/index.js';
import type { ActionContext } from './context.js';

/**
 * The case worker's words for case-work codes (states, needs, purposes …), and the failures of
 * case work in one line each: what was not found, which field the consent does not cover. The
 * line names ids, organisations and field paths, never a value (it may be the person's data).
 */

/** `prefix.code` in the language, or the code itself when this version has no word for it */
export function word(t: Translate, prefix: string, code: string): string {
  const id = `${prefix}.${code}`;
  return Object.hasOwn(en, id) ? t(id as MessageId) : code;
}

export const words = (t: Translate, prefix: string, codes: readonly string[]): string => (codes.length === 0 ? t('none') : codes.map((c) => word(t, prefix, c)).join(', '));

/** a staff contact: name, role, phone, e-mail */
export function contactText(t: Translate, contact: ContactSeen | Record<string, unknown> | null | undefined): string {
  if (!contact || typeof contact.name !== 'string') return t('none');
  const parts = [contact.role, contact.phone, contact.email].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return parts.length > 0 ? `${contact.name} (${parts.join(', ')})` : contact.name;
}

/** What a command acted on, for naming it in a failure. */
export interface About {
  case?: string | undefined;
  consent?: string | undefined;
  referral?: string | undefined;
  org?: string | undefined;
  purpose?: string | undefined;
}

/** the node's refusal in the case worker's words; null when the general line says it well */
export function explain(error: ProtocolError, t: Translate, about: About): string | null {
  const issue = error.issues?.[0];
  switch (error.code) {
    case 'NotFound':
      if (issue?.problem === 'unknown_organisation') return t('casework.unknownOrg', { org: about.org ?? t('none') });
      if (about.referral) return t('casework.noReferral', { id: about.referral });
      if (about.case) return t('casework.noCase', { id: about.case });
      if (about.consent) return t('casework.noConsent', { id: about.consent });
      return null;
    case 'ConsentScope':
      if (issue?.path.startsWith('/')) return t('casework.consentField', { field: issue.path });
      if (issue?.path === 'recipient') return t('casework.consentRecipient', { org: about.org ?? t('none') });
      if (issue?.path === 'purpose') return t('casework.consentPurpose', { purpose: about.purpose ? word(t, 'purpose', about.purpose) : t('none') });
      return null;
    case 'ConsentMissing':
      return about.consent && about.case ? t('casework.consentNotOfCase', { consent: about.consent, case: about.case }) : null;
    case 'DirectoryExpired':
      return t('casework.directoryExpired');
    case 'InvalidRequest':
      if (issue?.path === 'state') return t('casework.wrongState', { state: word(t, 'state', issue.problem) });
      if (issue?.path === 'id' && issue.problem === 'wrong_side') return t('casework.wrongSide');
      if (issue?.path === 'expires') return t('casework.consentRange');
      return null;
    default:
      return null;
  }
}

/**
 * Runs an action; a refusal the case worker must understand becomes one line on stderr (and the
 * wire error on stdout with --json), exit 1. Anything else (the node unreachable …) goes on to
 * the runner, which says it in its own words.
 */
export async function guarded(ctx: ActionContext, about: About, action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (error) {
    const line = error instanceof ProtocolError && !(error.cause instanceof Error) ? explain(error, ctx.t, about) : null;
    if (line === null) throw error;
    if (ctx.out.json) ctx.out.data((error as ProtocolError).toBody());
    ctx.out.problem(line);
    return EXIT.failed;
  }
}

/** a zod failure of an input (a file, or flags merged into one) → the paths, then one line */
export function invalidInput(ctx: ActionContext, issues: { path: PropertyKey[] }[], file: string | undefined): number {
  const paths = [...new Set(issues.map((i) => `/${i.path.map(String).join('/')}`))];
  if (ctx.out.json) ctx.out.data({ error: { code: 'InvalidRequest', issues: paths.map((path) => ({ path, problem: 'invalid' })) } });
  else for (const path of paths) ctx.out.line(ctx.t('import.issue', { path, problem: ctx.t('casework.invalidValue') }));
  ctx.out.problem(file ? ctx.t('casework.fileInvalid', { file, count: paths.length }) : ctx.t('casework.inputInvalid', { count: paths.length }));
  return EXIT.failed;
}

/** `s` cut to `max` characters on one line */
export function short(s: string, max = 200): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
