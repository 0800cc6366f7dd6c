import { type VocabularyLang, vocabulary } from '../../protocol/index.js';

/** `{ a: 'x' }` with prefix `p.` → `{ 'p.a': 'x' }`, keys kept in the type. */
type Prefixed<P extends string, R> = { [K in keyof R & string as `${P}${K}`]: string };

export function prefixed<P extends string, R extends Readonly<Record<string, string>>>(prefix: P, words: R): Prefixed<P, R> {
  return Object.fromEntries(Object.entries(words).map(([key, word]) => [`${prefix}${key}`, word])) as Prefixed<P, R>;
}

/**
 * The words of the protocol's values the CLI shows, taken from protocol's shared vocabulary (the
 * web interface shows the same words) under the CLI's message ids: `code.X`, `type.X`, `need.X`, ...
 * Spread into each language's catalogue, so `t('code.X')` and the key checks work as before.
 */
export function vocabularyMessages(lang: VocabularyLang) {
  const words = vocabulary(lang);
  return {
    ...prefixed('code.', words.code),
    ...prefixed('type.', words.serviceType),
    ...prefixed('served.', words.served),
    ...prefixed('need.', words.need),
    ...prefixed('purpose.', words.purpose),
    ...prefixed('urgency.', words.urgency),
    ...prefixed('gender.', words.gender),
    ...prefixed('risk.', words.risk),
    ...prefixed('victim.', words.victimStatus),
    ...prefixed('consentStatus.', words.consentStatus),
    ...prefixed('taskKind.', words.taskKind),
    ...prefixed('taskStatus.', words.taskStatus),
    ...prefixed('tripMode.', words.tripMode),
  };
}
