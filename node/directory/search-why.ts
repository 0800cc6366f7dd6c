import { LANGUAGE_NAMES, SERVED_WORDS, TYPE_WORDS, cityKey, cityNames, countryNames, placeOf } from './gazetteer.js';
import type { ServiceCard } from './search-index.js';
import { fold, queryWords, words } from './search-text.js';

/**
 * `why`: what matched, in plain words a case worker can check ("type: legal_aid", "language: sr
 * (interpretation)", "city: Wien (Vienna)", "text: lefo → LEFÖ-IBF"). Built from the result's own
 * card and the query, never from anything the card does not show (no address).
 */

interface WhyQuery {
  q?: string | undefined;
  country?: string | undefined;
  city?: string | undefined;
  type?: string | undefined;
  language?: string | undefined;
  served?: string | undefined;
  licensed?: boolean | undefined;
  hotline?: boolean | undefined;
}

const foldedVocabulary = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => [k, new Set(words(v))] as const);
const TYPES = foldedVocabulary(TYPE_WORDS);
const SERVED = foldedVocabulary(SERVED_WORDS);
const LANGUAGES = foldedVocabulary(LANGUAGE_NAMES);

function cityText(city: string, asked?: string): string {
  const place = placeOf(city);
  if (asked && fold(asked) !== fold(city)) return `${city} (${asked})`;
  return place && place.name !== city ? `${city} (${place.name})` : city;
}

export function explain(query: WhyQuery, service: ServiceCard, orgName: string, today: string, routeCountry?: string): string[] {
  const why: string[] = [];
  if (routeCountry) why.push(`route: ${routeCountry}`);
  if (query.country) why.push(`country: ${query.country}`);
  if (query.city) {
    const same = service.city !== undefined && cityKey(service.city) === cityKey(query.city);
    why.push(same && service.city ? `city: ${cityText(service.city, query.city)}` : `city: ${query.city} (service area)`);
  }
  if (query.type) why.push(`type: ${query.type}`);
  if (query.language) {
    why.push(service.languages.includes(query.language) ? `language: ${query.language}` : `language: ${query.language} (interpretation)`);
  }
  if (query.served) why.push(`served: ${query.served}`);
  if (query.hotline) why.push('hotline: 24/7');
  if (query.licensed && service.licence) why.push(`licensed: valid until ${service.licence.validUntil}${service.licence.validUntil >= today ? '' : ' (expired)'}`);
  for (const w of queryWords(query.q ?? '')) why.push(`text: ${textMatch(w, service, orgName)}`);
  return why;
}

const umlauts = (c: string) => c.replace(/ä/gi, 'ae').replace(/ö/gi, 'oe').replace(/ü/gi, 'ue');

/** Where a query word was found: a word of the name, of the organisation, a place, a category. */
function textMatch(w: string, service: ServiceCard, orgName: string): string {
  for (const text of [service.name, orgName]) {
    const chunk = text.split(/\s+/).find((c) => words(c).includes(w) || words(umlauts(c)).includes(w));
    if (chunk) return `${w} → ${chunk.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')}`;
  }
  if (service.city && cityNames(service.city).some((n) => words(n).includes(w))) return `${w} → ${cityText(service.city)}`;
  if (service.country && words(countryNames(service.country)).includes(w)) return `${w} → ${service.country}`;
  const type = TYPES.find(([k, set]) => service.types.includes(k) && set.has(w));
  if (type) return `${w} → type ${type[0]}`;
  const served = SERVED.find(([k, set]) => service.served.includes(k) && set.has(w));
  if (served) return `${w} → served ${served[0]}`;
  const language = LANGUAGES.find(([k, set]) => (service.languages.includes(k) || service.interpretation.includes(k)) && set.has(w));
  if (language) return `${w} → language ${language[0]}${service.languages.includes(language[0]) ? '' : ' (interpretation)'}`;
  if (service.hotline24h && ['24', '7', '24h', 'nonstop', 'non', 'stop', 'day', 'night'].includes(w)) return `${w} → hotline 24/7`;
  return `${w} (description)`;
}
