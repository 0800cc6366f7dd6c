import { type Catalogue, type MessageId, en } from './en.js';
import { de } from './de.js';
import { mk } from './mk.js';
import { sq } from './sq.js';
import { sr } from './sr.js';

export type { Catalogue, MessageId } from './en.js';

/**
 * The CLI's languages. `locale` drives Intl (dates, numbers, country and language names); `dir`
 * is there for the right-to-left languages to come (Arabic, Farsi): every message is a whole
 * sentence with placeholders, so a translation may put them in any order.
 */
export const LANGUAGES = {
  en: { name: 'English', locale: 'en-GB', dir: 'ltr', messages: en },
  sr: { name: 'srpski', locale: 'sr-Latn-RS', dir: 'ltr', messages: sr },
  mk: { name: 'македонски', locale: 'mk-MK', dir: 'ltr', messages: mk },
  sq: { name: 'shqip', locale: 'sq-AL', dir: 'ltr', messages: sq },
  de: { name: 'Deutsch', locale: 'de-AT', dir: 'ltr', messages: de },
} as const satisfies Record<string, { name: string; locale: string; dir: 'ltr' | 'rtl'; messages: Catalogue }>;

export type Lang = keyof typeof LANGUAGES;
export const LANGS = Object.keys(LANGUAGES) as Lang[];

export function isLang(value: string): value is Lang {
  return Object.hasOwn(LANGUAGES, value);
}

export type Params = Record<string, string | number>;
export type Translate = (id: MessageId, params?: Params) => string;

/** Placeholders of a message, in order of appearance: `{name}`. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

/**
 * A translator for one language. Numbers given as parameters are formatted for the locale;
 * a message missing from a catalogue falls back to English (the tests keep that from happening).
 */
export function translator(lang: Lang): Translate {
  const { messages, locale } = LANGUAGES[lang];
  const numbers = new Intl.NumberFormat(locale);
  return (id, params = {}) => {
    const text = messages[id] ?? en[id] ?? id;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
}

/**
 * The language from a POSIX locale variable (`sr_RS.UTF-8`, `de_AT@euro`, `mk`); null for
 * `C`, `POSIX` or a language without a catalogue.
 */
export function langFromLocale(value: string | undefined): Lang | null {
  if (!value) return null;
  const code = value.split(/[_.@-]/)[0]?.toLowerCase() ?? '';
  return isLang(code) ? code : null;
}
