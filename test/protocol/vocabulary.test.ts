import { describe, expect, it } from 'vitest';
import {
  AgeBand,
  CloseOutcome,
  CompensationClaim,
  ConsentEvent,
  ConsentGiven,
  ConsentRecord,
  ConsentWithdraw,
  CourtTripPlan,
  DataCategory,
  DeclineReason,
  DeletionAction,
  ERROR_CODES,
  Gender,
  Need,
  Purpose,
  ReferralProgress,
  RevokeReason,
  RiskLevel,
  SERVED_GROUPS,
  SERVICE_TYPES,
  TaskKind,
  TaskStatus,
  ThreatKind,
  Urgency,
  VOCABULARY_LANGUAGES,
  VictimStatus,
  type Vocabulary,
  vocabulary,
} from '../../protocol/index.js';
import { LANGS, LANGUAGES } from '../../cli/i18n/index.js';

/** Every value of every enum the vocabulary covers, read from the schemas themselves. */
const VALUES = {
  code: Object.keys(ERROR_CODES),
  serviceType: SERVICE_TYPES,
  served: SERVED_GROUPS,
  need: Need.options,
  purpose: Purpose.options,
  urgency: Urgency.options,
  gender: Gender.options,
  ageBand: AgeBand.options,
  risk: RiskLevel.options,
  threatKind: ThreatKind.options,
  victimStatus: VictimStatus.shape.victimStatus.options,
  dataCategory: DataCategory.options,
  consentStatus: ConsentRecord.shape.status.options,
  consentChange: ConsentEvent.shape.status.options,
  consentBy: ConsentEvent.shape.by.options,
  consentMethod: ConsentGiven.shape.method.options,
  guardianRelation: ConsentGiven.shape.guardian.unwrap().shape.relation.options,
  withdrawInstruction: ConsentWithdraw.shape.instruction.options,
  withdrawReason: ConsentWithdraw.shape.reason.unwrap().options,
  deletionAction: DeletionAction.options,
  declineReason: DeclineReason.options,
  revokeReason: RevokeReason.options,
  progress: ReferralProgress.options,
  closeOutcome: CloseOutcome.options,
  compensationStatus: CompensationClaim.shape.status.options,
  taskKind: TaskKind.options,
  taskStatus: TaskStatus.options,
  tripMode: CourtTripPlan.shape.mode.options,
} satisfies Record<keyof Vocabulary, readonly string[]>;

const KINDS = Object.keys(VALUES) as (keyof Vocabulary)[];
const OTHERS = VOCABULARY_LANGUAGES.filter((lang) => lang !== 'en');

/** Words that are the same in English and the other language on purpose. */
const LOANWORDS = new Set(['LGBTQI+', 'Hotline', 'Tickets', 'Reintegration']);

const letters = (text: string) => (text.match(/\p{L}/gu) ?? []).length;
const words = (v: Vocabulary) => KINDS.flatMap((kind) => Object.values(v[kind]) as string[]);

describe('vocabulary: the protocol values in the case worker\'s languages', () => {
  it('covers the same languages as the CLI', () => {
    expect([...VOCABULARY_LANGUAGES].sort()).toEqual([...LANGS].sort());
  });

  it('has exactly the kinds the test knows', () => {
    expect(Object.keys(vocabulary('en')).sort()).toEqual([...KINDS].sort());
  });

  it.each(VOCABULARY_LANGUAGES)('%s has a word for every value of every enum, none empty, no placeholder', (lang) => {
    const v = vocabulary(lang);
    for (const kind of KINDS) {
      expect(Object.keys(v[kind]).sort(), `${lang} ${kind}`).toEqual([...VALUES[kind]].sort());
      for (const [value, word] of Object.entries(v[kind]) as [string, string][]) {
        expect(word.trim(), `${lang} ${kind}.${value}`).not.toBe('');
        expect(word, `${lang} ${kind}.${value}`).toBe(word.trim());
        expect(word, `${lang} ${kind}.${value}`).not.toMatch(/[{}]/);
      }
    }
  });

  it.each(OTHERS)('%s leaves no English behind (longer than 5 letters) but the listed loanwords', (lang) => {
    const v = vocabulary(lang);
    const en = vocabulary('en');
    const leftover: string[] = [];
    for (const kind of KINDS) {
      for (const value of VALUES[kind]) {
        const english = (en[kind] as Record<string, string>)[value] ?? '';
        const word = (v[kind] as Record<string, string>)[value] ?? '';
        if (letters(english) > 5 && word.toLowerCase() === english.toLowerCase() && !LOANWORDS.has(word)) {
          leftover.push(`${kind}.${value}: ${word}`);
        }
      }
    }
    expect(leftover).toEqual([]);
  });

  it('Serbian is in Latin script and Macedonian in Cyrillic', () => {
    const cyrillic = /[\u0400-\u04ff]/;
    expect(words(vocabulary('sr')).filter((w) => cyrillic.test(w))).toEqual([]);
    // command names and file names stay in Latin letters inside a Macedonian sentence
    expect(words(vocabulary('mk')).filter((w) => !cyrillic.test(w) && !LOANWORDS.has(w))).toEqual([]);
  });

  it('holds the words moved from the CLI, word for word', () => {
    expect(vocabulary('sr').need['legal-aid']).toBe('pravna pomoć');
    expect(vocabulary('mk').taskKind['airport-pickup']).toBe('пречек на аеродром');
    expect(vocabulary('de').code.KeyRejected).toBe('Die Passphrase oder der Schlüssel entsperrt den Schlüsselbund dieses Knotens nicht.');
    expect(vocabulary('en').code.NotFound).toBe('Not found.');
  });

  it.each(LANGS)('%s: the CLI shows the very same words, under its own message ids', (lang) => {
    const messages: Record<string, string> = LANGUAGES[lang].messages;
    const v = vocabulary(lang);
    const ids: Record<string, keyof Vocabulary> = {
      code: 'code',
      type: 'serviceType',
      served: 'served',
      need: 'need',
      purpose: 'purpose',
      urgency: 'urgency',
      gender: 'gender',
      risk: 'risk',
      victim: 'victimStatus',
      consentStatus: 'consentStatus',
      taskKind: 'taskKind',
      taskStatus: 'taskStatus',
      tripMode: 'tripMode',
    };
    for (const [prefix, kind] of Object.entries(ids)) {
      for (const [value, word] of Object.entries(v[kind]) as [string, string][]) {
        expect(messages[`${prefix}.${value}`], `${lang} ${prefix}.${value}`).toBe(word);
      }
    }
  });
});
