/**
 * Text folding for the directory search, applied alike to what is indexed and to what is asked:
 * Serbian and Macedonian Cyrillic to Latin, then lower case without diacritics (`LEFÖ` → `lefo`,
 * `Beč` → `bec`, `Скопје` → `skopje`, `Đakovica` → `djakovica`). FTS5's `unicode61
 * remove_diacritics 2` would strip most accents by itself; folding first also covers what it
 * keeps (đ, ł, ß) and makes the tokens the query builds equal to the indexed ones.
 */

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'dj', ѓ: 'gj', е: 'e', ж: 'z', з: 'z', ѕ: 'dz', и: 'i', ј: 'j', к: 'k', л: 'l', љ: 'lj', м: 'm',
  н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'c', ќ: 'kj', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'c', џ: 'dz', ш: 's',
  й: 'j', ы: 'y', э: 'e', ю: 'ju', я: 'ja', ё: 'e', ъ: '', ь: '', щ: 'sc', є: 'je', і: 'i', ї: 'ji', ґ: 'g',
};
const SPECIAL: Record<string, string> = { đ: 'dj', ß: 'ss', ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ı: 'i', þ: 'th' };
const MARKS = /\p{M}+/gu;
const MAPPED = /[\u0400-\u045f\u0490\u0491đßłøæœıþ]/g;
const NON_ASCII = /[^\u0000-\u007f]/;

/** Lower case, Cyrillic transliterated, diacritics removed; punctuation kept (the tokenizer splits on it). */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower.replace(MAPPED, (ch) => CYRILLIC[ch] ?? SPECIAL[ch] ?? ch).normalize('NFD').replace(MARKS, '');
}

/** The words of a text as FTS5's unicode61 tokenizer sees them, after folding. */
export function words(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/**
 * German umlauts also written as two letters (`LEFÖ` is found by `lefo` and by `lefoe`): the
 * variants are appended to the indexed text of names.
 */
export function umlautVariants(text: string): string {
  if (!/[äöüÄÖÜ]/.test(text)) return '';
  const out: string[] = [];
  for (const w of text.split(/[^\p{L}\p{N}]+/u)) {
    if (!/[äöüÄÖÜ]/.test(w)) continue;
    out.push(w.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue'));
  }
  return out.join(' ');
}

/** Words that carry no meaning in a search ("legal aid in Vienna for women"). */
export const STOP_WORDS = new Set([
  'a', 'an', 'the', 'in', 'for', 'of', 'and', 'or', 'with', 'to', 'at', 'on', 'near', 'by', 'from', 'who', 'that', 'is', 'are', 'speaks', 'speaking',
  'u', 'za', 'na', 'sa', 'od', 'do', 'und', 'fur', 'im', 'mit', 'der', 'die', 'das', 'bei', 'vo', 'so',
]);

/** The words a query searches for: folded, without stop words, at most `max`, no duplicate. */
export function queryWords(q: string, max = 12): string[] {
  const out: string[] = [];
  for (const w of words(q)) {
    if (STOP_WORDS.has(w) || out.includes(w)) continue;
    out.push(w);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * The token a filter value is indexed as in the FTS `facets` column: a letter for the kind and the
 * value without separators (the tokenizer would split `legal_aid`). Each kind has its own letter,
 * and the column is only ever queried with a column filter, so no facet collides with text.
 */
export type FacetKind = 'country' | 'city' | 'type' | 'language' | 'served';
const FACET_LETTER: Record<FacetKind, string> = { country: 'c', city: 'y', type: 't', language: 'l', served: 's' };
export function facetToken(kind: FacetKind, value: string): string {
  return `${FACET_LETTER[kind]}${fold(value).replace(/[^\p{L}\p{N}]+/gu, '')}`;
}

/** 24/7 hotline */
export const HOTLINE_TOKEN = 'h24';
/** A licence with status `valid`: year, month and day tokens of its end (`vy2027 vm202701 vd20270115`). */
export function licenceTokens(validUntil: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(validUntil);
  return m ? `vy${m[1]} vm${m[1]}${m[2]} vd${m[1]}${m[2]}${m[3]}` : '';
}

/**
 * The FTS expression "has a licence valid on `today`": it ends on a later day of this month, a
 * later month of this year, or in one of the next 15 years (licences on the route last six).
 */
export function licensedExpression(today: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!m) return 'vy0';
  const year = Number(m[1]);
  const month = Number(m[2]);
  const terms: string[] = [];
  for (let d = Number(m[3]); d <= 31; d++) terms.push(`vd${m[1]}${m[2]}${String(d).padStart(2, '0')}`);
  for (let mo = month + 1; mo <= 12; mo++) terms.push(`vm${m[1]}${String(mo).padStart(2, '0')}`);
  for (let y = year + 1; y <= year + 15; y++) terms.push(`vy${y}`);
  return `(${terms.join(' OR ')})`;
}
