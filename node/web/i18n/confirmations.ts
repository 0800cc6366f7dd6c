import { catalog } from './languages.js';

/** what an action did, shown once on the page it leads to (role="status", read out by screen readers) */
export const confirmations = catalog({
  en: {
    signedIn: 'You are signed in.',
    languageChanged: 'The language is changed.',
  },
  sr: {
    signedIn: 'Prijavljeni ste.',
    languageChanged: 'Jezik je promenjen.',
  },
  mk: {
    signedIn: 'Најавени сте.',
    languageChanged: 'Јазикот е променет.',
  },
  sq: {
    signedIn: 'Jeni identifikuar.',
    languageChanged: 'Gjuha u ndryshua.',
  },
  de: {
    signedIn: 'Sie sind angemeldet.',
    languageChanged: 'Die Sprache wurde geändert.',
  },
});
