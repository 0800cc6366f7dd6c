import { type Vocabulary, vocabulary } from '../../protocol/index.js';
import type { Lang } from './i18n/languages.js';
import { states } from './i18n/states.js';

/**
 * The words for the protocol's values (needs, purposes, service types, error codes...) and the
 * node's own states, in the reader's language: every screen shows an enumerated value through
 * here, never raw. The protocol's come from the vocabulary the CLI shares (protocol/vocabulary/);
 * the node's states from i18n/states.ts. A value with no word yet shows as it is, never an error.
 */

/** the web's names for the vocabulary's lists */
const VOCABULARY_KINDS = {
  code: 'code',
  serviceType: 'serviceType',
  served: 'served',
  need: 'need',
  purpose: 'purpose',
  taskKind: 'taskKind',
  taskStatus: 'taskStatus',
  tripMode: 'tripMode',
  category: 'dataCategory',
  urgency: 'urgency',
  declineReason: 'declineReason',
  revokeReason: 'revokeReason',
  closeOutcome: 'closeOutcome',
  riskLevel: 'risk',
  threatKind: 'threatKind',
  gender: 'gender',
  ageBand: 'ageBand',
  victimStatus: 'victimStatus',
  consentStatus: 'consentStatus',
  consentChange: 'consentChange',
  consentGiver: 'consentBy',
  consentMethod: 'consentMethod',
  withdrawReason: 'withdrawReason',
  withdrawInstruction: 'withdrawInstruction',
  deletionAction: 'deletionAction',
  progress: 'progress',
} as const satisfies Record<string, keyof Vocabulary>;

const STATE_KINDS = ['caseState', 'referralState', 'referralEvent', 'messageState', 'alertKind', 'syncOutcome', 'auditProblem'] as const;

export type TermKind = keyof typeof VOCABULARY_KINDS | (typeof STATE_KINDS)[number];

export function term(lang: Lang, kind: TermKind, value: string): string {
  if (kind in VOCABULARY_KINDS) {
    const words = vocabulary(lang)[VOCABULARY_KINDS[kind as keyof typeof VOCABULARY_KINDS]] as Readonly<Record<string, string>>;
    return Object.hasOwn(words, value) ? words[value]! : value;
  }
  const words = states[lang] as Record<string, string>;
  const key = `${kind}.${value}`;
  return Object.hasOwn(words, key) ? words[key]! : value;
}
