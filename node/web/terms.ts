import type { Lang } from './i18n/languages.js';

/**
 * The words for the protocol's values (needs, purposes, states, service types, error codes...)
 * in the reader's language: every screen shows an enumerated value through here, never raw.
 */
export type TermKind = 'code' | 'serviceType' | 'served' | 'need' | 'purpose' | 'taskKind' | 'category' | 'urgency' | 'declineReason' | 'riskLevel' | 'threatKind' | 'gender' | 'referralState' | 'consentStatus' | 'caseState' | 'ageBand' | 'victimStatus' | 'consentGiver' | 'consentMethod' | 'withdrawReason';

export function term(_lang: Lang, _kind: TermKind, value: string): string {
  return value;
}
