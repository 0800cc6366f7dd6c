/**
 * The web interface's languages (issue 8): the five the case workers work in, and for the
 * person-facing consent text also Arabic and Farsi, right to left. A catalog is one object per
 * language with the English keys: the type makes a missing translation a compile error.
 */

export const INTERFACE_LANGUAGES = ['en', 'sr', 'mk', 'sq', 'de'] as const;
export type Lang = (typeof INTERFACE_LANGUAGES)[number];

export const NOTICE_LANGUAGES = [...INTERFACE_LANGUAGES, 'ar', 'fa'] as const;
export type NoticeLang = (typeof NOTICE_LANGUAGES)[number];

/** the BCP 47 tag for `lang=""`, the name in its own language, and the writing direction */
export const LANGUAGE_INFO: Record<NoticeLang, { tag: string; name: string; dir: 'ltr' | 'rtl' }> = {
  en: { tag: 'en', name: 'English', dir: 'ltr' },
  sr: { tag: 'sr-Latn', name: 'Srpski', dir: 'ltr' },
  mk: { tag: 'mk', name: 'Македонски', dir: 'ltr' },
  sq: { tag: 'sq', name: 'Shqip', dir: 'ltr' },
  de: { tag: 'de', name: 'Deutsch', dir: 'ltr' },
  ar: { tag: 'ar', name: 'العربية', dir: 'rtl' },
  fa: { tag: 'fa', name: 'فارسی', dir: 'rtl' },
};

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (INTERFACE_LANGUAGES as readonly string[]).includes(value);
}

export function isNoticeLang(value: unknown): value is NoticeLang {
  return typeof value === 'string' && (NOTICE_LANGUAGES as readonly string[]).includes(value);
}

/** one screen's messages in every interface language, each with exactly the English keys */
export type Catalog<K extends string> = Record<Lang, Record<K, string>>;

export function catalog<const T extends Record<string, string>>(messages: { en: T } & Record<Exclude<Lang, 'en'>, Record<keyof T, string>>): Catalog<keyof T & string> {
  return messages;
}

/** `{name}` placeholders filled in; values are escaped by JSX where the text is rendered */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
