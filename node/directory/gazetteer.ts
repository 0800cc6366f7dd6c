import { fold } from './search-text.js';

/**
 * The places and words of the route the search knows by several names: city exonyms (a case
 * worker in Belgrade types "Beč", one in Skopje "Виена", one in Vienna "Wien"), country names,
 * and the words for service types, served groups and languages, so that free text like "legal
 * aid in Vienna, in Serbian, for women" finds what the structured filters would.
 */

export interface Place {
  /** the key stored in the `city` facet: the English name folded */
  key: string;
  /** English name, shown in `why` */
  name: string;
  country: string;
  names: readonly string[];
}

const CITIES: readonly (readonly [string, string, string])[] = [
  ['Vienna', 'AT', 'Wien|Beč|Bech|Беч|Виена|Vjenë|Vienne|Viena|Wiedeń|Vídeň|Βιέννη'],
  ['Graz', 'AT', 'Grac|Грац'],
  ['Salzburg', 'AT', 'Salcburg|Салцбург'],
  ['Linz', 'AT', 'Linc|Линц'],
  ['Innsbruck', 'AT', 'Inzbruk|Инзбрук'],
  ['Belgrade', 'RS', 'Beograd|Београд|Belgrad|Beogradi|Βελιγράδι'],
  ['Novi Sad', 'RS', 'Нови Сад|Újvidék|Neusatz'],
  ['Nis', 'RS', 'Niš|Ниш|Nish'],
  ['Subotica', 'RS', 'Суботица|Szabadka'],
  ['Presevo', 'RS', 'Preševo|Прешево|Preshevë'],
  ['Skopje', 'MK', 'Скопје|Shkup|Shkupi|Skoplje|Üsküp|Σκόπια'],
  ['Kumanovo', 'MK', 'Куманово|Kumanova'],
  ['Gevgelija', 'MK', 'Гевгелија|Gevgelia'],
  ['Tetovo', 'MK', 'Тетово|Tetova'],
  ['Thessaloniki', 'GR', 'Solun|Солун|Θεσσαλονίκη|Salonika|Salonica|Selanik|Saloniki'],
  ['Athens', 'GR', 'Athina|Athen|Atina|Атина|Αθήνα|Athènes|Athinë'],
  ['Lesbos', 'GR', 'Lesvos|Mytilene|Λέσβος'],
  ['Zagreb', 'HR', 'Загреб|Agram|Zágráb'],
  ['Split', 'HR', 'Сплит|Spalato'],
  ['Rijeka', 'HR', 'Ријека|Fiume'],
  ['Ljubljana', 'SI', 'Љубљана|Laibach|Lubiana|Lublana'],
  ['Maribor', 'SI', 'Марибор|Marburg'],
  ['Sarajevo', 'BA', 'Сарајево|Sarajeva|Saraybosna'],
  ['Mostar', 'BA', 'Мостар'],
  ['Zenica', 'BA', 'Зеница'],
  ['Tuzla', 'BA', 'Тузла'],
  ['Bihac', 'BA', 'Bihać|Бихаћ'],
  ['Banja Luka', 'BA', 'Бања Лука|Banjaluka'],
  ['Tirana', 'AL', 'Tiranë|Tirane|Тирана|Τίρανα'],
  ['Durres', 'AL', 'Durrës|Драч|Drač|Durazzo'],
  ['Shkoder', 'AL', 'Shkodër|Shkodra|Скадар|Skadar'],
  ['Podgorica', 'ME', 'Подгорица|Podgorici'],
  ['Pristina', 'XK', 'Prishtinë|Prishtina|Priština|Приштина'],
  ['Budapest', 'HU', 'Budimpešta|Будимпешта'],
  ['Istanbul', 'TR', 'İstanbul|Carigrad|Цариград'],
  ['Munich', 'DE', 'München|Minhen|Минхен'],
];

const COUNTRIES: Record<string, string> = {
  AT: 'Austria|Österreich|Austrija|Аустрија|Austri|Αυστρία',
  RS: 'Serbia|Srbija|Србија|Serbien|Serbi|Σερβία',
  MK: 'North Macedonia|Macedonia|Makedonija|Severna Makedonija|Северна Македонија|Македонија|Nordmazedonien|Maqedonia|Maqedonia e Veriut',
  GR: 'Greece|Grčka|Грчка|Griechenland|Greqia|Ellada|Hellas|Ελλάδα',
  HR: 'Croatia|Hrvatska|Хрватска|Kroatien|Kroacia',
  SI: 'Slovenia|Slovenija|Словенија|Slowenien|Sllovenia',
  BA: 'Bosnia and Herzegovina|Bosnia|Herzegovina|Bosna i Hercegovina|Босна и Херцеговина|BiH',
  AL: 'Albania|Shqipëria|Shqiperia|Albanija|Албанија|Albanien',
  ME: 'Montenegro|Crna Gora|Црна Гора|Mali i Zi',
  XK: 'Kosovo|Kosova|Косово',
  HU: 'Hungary|Mađarska|Мађарска|Magyarország|Ungarn',
  TR: 'Turkey|Türkiye|Turska|Турска|Turqia',
  DE: 'Germany|Deutschland|Njemačka|Nemačka|Немачка|Gjermania',
  BG: 'Bulgaria|Bugarska|Бугарска',
};

const places: Place[] = CITIES.map(([name, country, others]) => ({ key: fold(name), name, country, names: [name, ...others.split('|')] }));
const byName = new Map<string, Place>();
for (const p of places) for (const n of p.names) byName.set(fold(n), p);

/** The gazetteer entry a city is known by in any of its names, if it is one of the route's. */
export function placeOf(city: string): Place | undefined {
  return byName.get(fold(city).trim());
}

/** The value of the `city` facet: the gazetteer key, or the folded name of a city it does not know. */
export function cityKey(city: string): string {
  return placeOf(city)?.key ?? fold(city).trim();
}

/** Every name of a city (itself if the gazetteer does not know it), for the indexed `places` text. */
export function cityNames(city: string): readonly string[] {
  return placeOf(city)?.names ?? [city];
}

export function countryNames(country: string): string {
  return `${country} ${COUNTRIES[country]?.split('|').join(' ') ?? ''}`;
}

/** Words for each service type (English, the route's languages), indexed in the `types` column. */
export const TYPE_WORDS: Record<string, string> = {
  shelter: 'shelter safe house accommodation housing sklonište sigurna kuća smeštaj prihvatilište засолниште Schutzwohnung Notwohnung',
  legal_aid: 'legal aid lawyer legal counselling pravna pomoć advokat pravnik правна помош Rechtsberatung Rechtshilfe',
  psychosocial: 'psychosocial psychological counselling therapy trauma psihosocijalna podrška психосоцијална',
  medical: 'medical health doctor clinic medicinska pomoć zdravstvena медицинска',
  hotline: 'hotline helpline sos phone line telefon линија',
  identification: 'identification screening identifikacija идентификација',
  outreach: 'outreach mobile team field terenski rad теренска',
  return_reintegration: 'return reintegration povratak reintegracija враќање реинтеграција Rückkehr',
  interpretation: 'interpretation interpreter translation cultural mediator prevodilac tumač преведувач Dolmetsch',
  accompaniment: 'accompaniment escort court trip airport pratnja придружба Begleitung',
  employment: 'employment job work economic empowerment zapošljavanje вработување Arbeit',
  education: 'education school training obrazovanje образование Bildung',
  child_protection: 'child protection children guardian guardianship minors zaštita dece деца Kinderschutz Jugendhilfe',
};

export const SERVED_WORDS: Record<string, string> = {
  women: 'women woman female žene ženama жени Frauen',
  men: 'men man male muškarci мажи Männer',
  girls: 'girls girl devojčice девојчиња Mädchen',
  boys: 'boys boy dečaci момчиња Buben',
  unaccompanied_minors: 'unaccompanied separated minors children maloletnici bez pratnje деца unbegleitete',
  families: 'families family porodice семејства Familien',
  lgbtqi: 'lgbtqi lgbt lgbtiq queer trans',
};

/** English names and endonyms of the languages met on the route, by ISO 639 code. */
export const LANGUAGE_NAMES: Record<string, string> = {
  sr: 'Serbian srpski српски', mk: 'Macedonian makedonski македонски', sq: 'Albanian shqip', de: 'German Deutsch nemački',
  en: 'English engleski', ar: 'Arabic arapski عربي', fa: 'Farsi Persian Dari persijski فارسی', prs: 'Dari', ps: 'Pashto paštu',
  ur: 'Urdu', rom: 'Romani romski', bs: 'Bosnian bosanski', hr: 'Croatian hrvatski', sl: 'Slovenian slovenščina slovenski',
  el: 'Greek ελληνικά grčki', tr: 'Turkish Türkçe turski', ru: 'Russian ruski', uk: 'Ukrainian ukrajinski', ro: 'Romanian rumunski',
  fr: 'French francuski', es: 'Spanish španski', it: 'Italian italijanski', hu: 'Hungarian magyar mađarski', bg: 'Bulgarian bugarski',
  ku: 'Kurdish Kurmanji kurdski', ti: 'Tigrinya', so: 'Somali', bn: 'Bengali Bangla', hi: 'Hindi', zh: 'Chinese kineski',
  vi: 'Vietnamese', tl: 'Tagalog Filipino', am: 'Amharic', pa: 'Punjabi', cnr: 'Montenegrin crnogorski',
};
