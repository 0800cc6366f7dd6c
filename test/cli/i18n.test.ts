import { describe, expect, it } from 'vitest';
import { ERROR_CODES, SERVED_GROUPS, SERVICE_TYPES } from '../../protocol/index.js';
import { en } from '../../cli/i18n/en.js';
import { LANGS, LANGUAGES, type MessageId, langFromLocale, placeholders, translator } from '../../cli/i18n/index.js';

const ids = Object.keys(en) as MessageId[];

describe('i18n: every message exists in every language', () => {
  it.each(LANGS)('%s has exactly the English keys, none empty', (lang) => {
    const messages = LANGUAGES[lang].messages;
    expect(Object.keys(messages).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(messages[id].trim(), `${lang} ${id}`).not.toBe('');
  });

  it.each(LANGS)('%s has the same placeholders as English in every message', (lang) => {
    const messages = LANGUAGES[lang].messages;
    for (const id of ids) expect(placeholders(messages[id]).sort(), `${lang} ${id}`).toEqual(placeholders(en[id]).sort());
  });

  it.each(LANGS)('%s explains every protocol error code, service type and group served', (lang) => {
    const messages: Record<string, string> = LANGUAGES[lang].messages;
    for (const code of Object.keys(ERROR_CODES)) expect(messages[`code.${code}`], `${lang} ${code}`).toBeTruthy();
    for (const type of SERVICE_TYPES) expect(messages[`type.${type}`], `${lang} ${type}`).toBeTruthy();
    for (const group of SERVED_GROUPS) expect(messages[`served.${group}`], `${lang} ${group}`).toBeTruthy();
  });

  it('the translations are translations: most messages differ from English', () => {
    for (const lang of LANGS.filter((l) => l !== 'en')) {
      const messages = LANGUAGES[lang].messages;
      const same = ids.filter((id) => messages[id] === en[id]);
      expect(same.length / ids.length, lang).toBeLessThan(0.1);
    }
  });

  it('Serbian is in Latin script and Macedonian in Cyrillic', () => {
    const letters = (text: string, re: RegExp) => (text.match(re) ?? []).length;
    const sr = Object.values(LANGUAGES.sr.messages).join(' ');
    const mk = Object.values(LANGUAGES.mk.messages).join(' ');
    expect(letters(sr, /[\u0400-\u04ff]/g)).toBe(0);
    expect(letters(mk, /[\u0400-\u04ff]/g)).toBeGreaterThan(letters(mk, /[a-z]/g) / 2);
  });
});

describe('i18n: translator and locale', () => {
  it('fills placeholders and formats numbers for the locale', () => {
    expect(translator('en')('status.services', { count: 12345 })).toBe('Services: 12,345');
    expect(translator('de')('status.services', { count: 12345 })).toMatch(/^Angebote: 12\s345$/);
    expect(translator('sr')('status.services', { count: 12345 })).toBe('Usluge: 12.345');
    expect(translator('en')('show.heading', { name: 'ASTRA', org: 'org:astra' })).toBe('ASTRA (org:astra)');
  });

  it('reads POSIX locale values', () => {
    expect(langFromLocale('sr_RS.UTF-8')).toBe('sr');
    expect(langFromLocale('de_AT@euro')).toBe('de');
    expect(langFromLocale('mk')).toBe('mk');
    expect(langFromLocale('sq-AL')).toBe('sq');
    expect(langFromLocale('C')).toBeNull();
    expect(langFromLocale('POSIX')).toBeNull();
    expect(langFromLocale('fa_IR.UTF-8')).toBeNull();
    expect(langFromLocale(undefined)).toBeNull();
  });

  it('each language says which way it is written, for the right-to-left languages to come', () => {
    for (const lang of LANGS) expect(['ltr', 'rtl']).toContain(LANGUAGES[lang].dir);
  });
});
