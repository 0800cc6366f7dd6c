import { SERVED_GROUPS, SERVICE_TYPES } from '../../protocol/index.js';
import type { Translate } from '../i18n/index.js';
import type { Output } from '../output.js';

/** The case worker's words for directory codes; a code this version does not know is shown as it is. */

export function typeWord(t: Translate, code: string): string {
  return (SERVICE_TYPES as readonly string[]).includes(code) ? t(`type.${code as (typeof SERVICE_TYPES)[number]}`) : code;
}

export function servedWord(t: Translate, code: string): string {
  return (SERVED_GROUPS as readonly string[]).includes(code) ? t(`served.${code as (typeof SERVED_GROUPS)[number]}`) : code;
}

export function licenceText(t: Translate, out: Output, licence: { validUntil: string; status: string } | null | undefined): string {
  if (!licence) return t('none');
  switch (licence.status) {
    case 'valid':
      return t('licence.valid', { date: out.day(licence.validUntil) });
    case 'expired':
      return t('licence.expired', { date: out.day(licence.validUntil) });
    case 'suspended':
      return t('licence.suspended');
    case 'revoked':
      return t('licence.revoked');
    default:
      return licence.status;
  }
}

export function entries(t: Translate, list: { org: string; seq: number }[]): string {
  return list.map((s) => t('list.entry', { org: s.org, seq: String(s.seq) })).join(', ');
}

export function joined(items: string[], t: Translate): string {
  return items.length === 0 ? t('none') : items.join(', ');
}
