import { de } from './de.js';
import { en } from './en.js';
import { mk } from './mk.js';
import { sq } from './sq.js';
import { sr } from './sr.js';
import type { Vocabulary, VocabularyLang } from './types.js';

export { VOCABULARY_LANGUAGES, type Vocabulary, type VocabularyLang } from './types.js';

const VOCABULARIES: Readonly<Record<VocabularyLang, Vocabulary>> = { en, sr, mk, sq, de };

/**
 * The protocol's values in one language, for every interface that shows them (the CLI, the web
 * interface): `vocabulary('sr').need['legal-aid']` is "pravna pomoć".
 */
export function vocabulary(lang: VocabularyLang): Vocabulary {
  return VOCABULARIES[lang];
}
