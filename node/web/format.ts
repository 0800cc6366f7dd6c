import { type Lang, LANGUAGE_INFO } from './i18n/languages.js';

/** dates and times in the reader's language, on the node's clock (milliseconds or seconds) */
export function formatTime(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(LANGUAGE_INFO[lang].tag, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

export function formatDate(lang: Lang, date: string | number): string {
  const d = typeof date === 'number' ? new Date(date) : new Date(`${date}T00:00:00Z`);
  return new Intl.DateTimeFormat(LANGUAGE_INFO[lang].tag, { dateStyle: 'medium', timeZone: typeof date === 'number' ? undefined : 'UTC' }).format(d);
}

/** a ULID or other id shortened for reading aloud on the phone; the full id stays in the link */
export function shortId(id: string): string {
  return id.length > 10 ? `…${id.slice(-8)}` : id;
}
