import { describe, expect, it } from 'vitest';
import { INTERFACE_LANGUAGES } from '../../node/web/i18n/languages.js';
import { states } from '../../node/web/i18n/states.js';
import { term } from '../../node/web/terms.js';

describe('term(): the words for enumerated values on every screen', () => {
  it('takes the protocol values from the shared vocabulary, in the reader language', () => {
    expect(term('en', 'need', 'legal-aid')).toBe('legal aid');
    expect(term('sr', 'need', 'legal-aid')).toBe('pravna pomoć');
    expect(term('de', 'purpose', 'legal-proceedings')).not.toBe(term('en', 'purpose', 'legal-proceedings'));
    expect(term('mk', 'category', 'health')).toMatch(/[\u0400-\u04FF]/);
  });

  it('has the node states in every language, none left in English', () => {
    for (const lang of INTERFACE_LANGUAGES) {
      expect(Object.keys(states[lang]).sort()).toEqual(Object.keys(states.en).sort());
      if (lang !== 'en') for (const [key, word] of Object.entries(states[lang])) expect(word, `${lang} ${key}`).not.toBe((states.en as Record<string, string>)[key]);
    }
    expect(term('de', 'referralState', 'accepted')).toBe('angenommen');
  });

  it('shows a value without a word as it is, never fails', () => {
    expect(term('sq', 'referralEvent', 'something-new')).toBe('something-new');
    expect(term('en', 'need', '__proto__')).toBe('__proto__');
  });
});
