import { type DirectoryEntry, type OrgProfile, PROTOCOL_VERSION, SERVED_GROUPS, SERVICE_TYPES } from '../../protocol/index.js';
import { Rng } from './seeded-rng.js';

/**
 * Large synthetic directories for the search tests and the benchmark: deterministic for a seed,
 * spread over the route's countries and cities (some written with diacritics, some in Cyrillic),
 * with the languages, service types and served groups in plausible proportions, and with a few
 * words present in nearly every description ("support", "victims", "trafficking"): the worst
 * case for free-text ranking. Everything here is invented; every organisation is `demo`.
 */

const COUNTRIES: readonly (readonly [string, number, readonly string[], readonly string[]])[] = [
  // country, weight, cities, local languages
  ['RS', 20, ['Beograd', 'Novi Sad', 'Niš', 'Subotica', 'Preševo', 'Čačak', 'Šabac', 'Kraljevo', 'Vranje'], ['sr', 'rom', 'hu']],
  ['MK', 12, ['Skopje', 'Скопје', 'Kumanovo', 'Gevgelija', 'Tetovo', 'Štip', 'Bitola', 'Ohrid'], ['mk', 'sq', 'rom']],
  ['GR', 14, ['Athens', 'Thessaloniki', 'Lesvos', 'Ioannina', 'Larisa', 'Pátra'], ['el']],
  ['AT', 15, ['Wien', 'Graz', 'Salzburg', 'Linz', 'Innsbruck', 'Klagenfurt'], ['de']],
  ['HR', 8, ['Zagreb', 'Split', 'Rijeka', 'Osijek', 'Zadar'], ['hr']],
  ['SI', 6, ['Ljubljana', 'Maribor', 'Koper', 'Celje'], ['sl']],
  ['BA', 10, ['Sarajevo', 'Mostar', 'Zenica', 'Tuzla', 'Bihać', 'Banja Luka'], ['bs', 'hr', 'sr']],
  ['AL', 6, ['Tiranë', 'Durrës', 'Shkodër', 'Vlorë', 'Korçë', 'Elbasan'], ['sq']],
  ['ME', 4, ['Podgorica', 'Nikšić', 'Bar', 'Budva'], ['cnr', 'sr']],
  ['XK', 5, ['Prishtinë', 'Prizren', 'Pejë', 'Gjakovë'], ['sq', 'sr']],
];
const TOTAL_WEIGHT = COUNTRIES.reduce((a, c) => a + c[1], 0);
const MOVING = ['ar', 'fa', 'prs', 'ps', 'ur', 'en', 'fr', 'tr', 'ku', 'so', 'ti', 'bn', 'uk', 'ru'];

const ORG_FORMS = ['Udruženje', 'Centar', 'Fondacija', 'Mreža', 'Shoqata', 'Qendra', 'Verein', 'Hilfswerk', 'Initiative', 'Association', 'Ženska mreža', 'Sigurna kuća', 'Društvo', 'Σύλλογος'];
const ORG_WORDS = ['Nada', 'Novi put', 'Žena', 'Sloboda', 'Duga', 'Most', 'Ruka', 'Shpresa', 'Drita', 'Zora', 'Öffnung', 'Brücke', 'Lëvizja', 'Zajedno', 'Iskra', 'Čuvari', 'Ćilim', 'Vatra', 'Putokaz', 'Sunce', 'Elpída', 'Horizont', 'Krila', 'Južni vetar', 'Ëndrra'];
const SERVICE_WORDS: Record<string, readonly string[]> = {
  shelter: ['Sigurna kuća', 'Shelter', 'Schutzwohnung', 'Strehë', 'Prihvatilište'],
  legal_aid: ['Pravna pomoć', 'Legal aid', 'Rechtsberatung', 'Ndihmë juridike', 'Pravno savetovalište'],
  psychosocial: ['Psihosocijalna podrška', 'Counselling', 'Beratung', 'Këshillim'],
  medical: ['Medicinska pomoć', 'Health clinic', 'Gesundheitsdienst'],
  hotline: ['SOS telefon', 'Hotline', 'Helpline', 'Linja e ndihmës'],
  identification: ['Identifikacija', 'Identification desk'],
  outreach: ['Terenski tim', 'Mobile outreach', 'Streetwork'],
  return_reintegration: ['Reintegracija', 'Return and reintegration', 'Rückkehrhilfe'],
  interpretation: ['Prevodioci', 'Interpretation', 'Kulturmittlung'],
  accompaniment: ['Pratnja', 'Court accompaniment', 'Prozessbegleitung'],
  employment: ['Zapošljavanje', 'Job coaching', 'Arbeitsmarkt'],
  education: ['Obrazovanje', 'Learning centre', 'Bildung'],
  child_protection: ['Zaštita dece', 'Child protection', 'Kinder- und Jugendhilfe', 'Mbrojtja e fëmijëve'],
};
const DESCRIPTION_WORDS = ['counselling', 'referral', 'accommodation', 'documents', 'asylum', 'court', 'interpreters', 'psychologist', 'lawyer', 'reintegration', 'outreach', 'transit', 'reception', 'centre', 'border', 'family', 'tracing', 'guardianship', 'employment', 'training', 'savjetovanje', 'podrška', 'žrtve', 'pomoć', 'Beratung', 'Betreuung', 'ndihmë', 'mbështetje'];

export interface GeneratorOptions {
  organisations: number;
  servicesPerOrg: number;
  seed: number;
  /** the day licences are judged against (default 2026-01-01): about 15% are expired by then */
  today?: string;
}

const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
function uuid(rng: Rng): string {
  const a = hex(rng.u32());
  const b = hex(rng.u32());
  const c = hex(rng.u32());
  const d = hex(rng.u32());
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${((Number.parseInt(c.slice(0, 1), 16) & 3) | 8).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

function pickCountry(rng: Rng) {
  let r = rng.int(TOTAL_WEIGHT);
  for (const c of COUNTRIES) {
    if (r < c[1]) return c;
    r -= c[1];
  }
  return COUNTRIES[0]!;
}

function some<T>(rng: Rng, items: readonly T[], min: number, max: number): T[] {
  const n = rng.range(min, max);
  const out = new Set<T>();
  for (let i = 0; i < n * 2 && out.size < n; i++) out.add(rng.pick(items));
  return [...out];
}

export function generateDirectory(options: GeneratorOptions): OrgProfile[] {
  const rng = new Rng(options.seed);
  const year = Number((options.today ?? '2026-01-01').slice(0, 4));
  const orgs: OrgProfile[] = [];
  for (let o = 0; o < options.organisations; o++) {
    const [country, , cities, locals] = pickCountry(rng);
    const orgName = `${rng.pick(ORG_FORMS)} ${rng.pick(ORG_WORDS)} ${rng.pick(cities)} ${o}`;
    const home = rng.pick(cities);
    const services = [];
    for (let s = 0; s < options.servicesPerOrg; s++) {
      const types = some(rng, SERVICE_TYPES, 1, 3);
      const main = types[0]!;
      const served = some(rng, SERVED_GROUPS, 0, 3);
      const languages = [...new Set([rng.pick(locals), ...(rng.bool(0.6) ? ['en'] : []), ...(rng.bool(0.3) ? [rng.pick(MOVING)] : [])])];
      const confidential = main === 'shelter' && rng.bool(0.9);
      const city = rng.bool(0.8) ? home : rng.pick(cities);
      const licensed = rng.bool(0.4);
      const expired = rng.bool(0.15);
      const id = uuid(rng);
      const locId = uuid(rng);
      const location = confidential
        ? { id: locId, location_type: 'virtual', name: 'Contact point', corridor: { confidential: true }, phones: [{ id: uuid(rng), number: '+000 0000 0000', description: 'demo number, not real' }] }
        : { id: locId, location_type: 'physical', addresses: [{ id: uuid(rng), address_1: `Ulica ${rng.pick(ORG_WORDS)} ${rng.range(1, 120)}`, city, state_province: '', postal_code: String(rng.range(1000, 99999)), country, address_type: 'physical' }] };
      const desc = `${rng.pick(['Support', 'Assistance', 'Podrška', 'Unterstützung'])} for victims of trafficking: ${some(rng, DESCRIPTION_WORDS, 3, 8).join(', ')}.`;
      services.push({
        id,
        name: `${rng.pick(SERVICE_WORDS[main]!)} ${city}${s > 0 && rng.bool(0.3) ? ` ${s}` : ''}`,
        description: desc,
        status: 'active',
        languages: languages.map((code) => ({ id: uuid(rng), code, name: code })),
        ...(rng.bool(0.2) ? { minimum_age: rng.pick([0, 14, 18]) } : {}),
        corridor: {
          types,
          served,
          ...(main === 'hotline' || rng.bool(0.05) ? { hotline24h: rng.bool(0.7) } : {}),
          ...(rng.bool(0.3) ? { interpretation: some(rng, MOVING, 1, 4) } : {}),
          ...(licensed ? { licence: { issuer: 'Ministry (demo)', validUntil: `${expired ? year - 1 : year + rng.range(1, 5)}-0${rng.range(1, 9)}-1${rng.range(0, 9)}`, status: expired ? 'expired' : rng.bool(0.95) ? 'valid' : 'suspended' } } : {}),
          ...(confidential || rng.bool(0.2) ? { areas: [{ country, city }, ...(rng.bool(0.2) ? [{ country: pickCountry(rng)[0] }] : [])] } : {}),
        },
        service_at_locations: [{ id: uuid(rng), location }],
      });
    }
    orgs.push({ id: uuid(rng), name: orgName, description: `Civil-society organisation in ${home} that supports victims of trafficking (synthetic).`, corridor: { country, demo: true }, services } as OrgProfile);
  }
  return orgs;
}

/** The directory entry around a profile, as installed (search needs no signature). */
export function entryFor(profile: OrgProfile, org: string, seq = 1): DirectoryEntry {
  return { v: PROTOCOL_VERSION, org, seq, updated: 1_767_225_600, name: profile.name.slice(0, 200), profile, nodes: [] } as DirectoryEntry;
}
