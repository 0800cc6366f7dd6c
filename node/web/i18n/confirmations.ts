import { catalog } from './languages.js';

/** what an action did, shown once on the page it leads to (role="status", read out by screen readers) */
export const confirmations = catalog({
  en: {
    signedIn: 'You are signed in.',
    languageChanged: 'The language is changed.',
    caseOpened: 'The case is opened.',
    riskChanged: 'The risk assessment is saved.',
    consentRecorded: 'The consent is recorded and signed.',
    consentWithdrawn: 'The consent is withdrawn. Every partner that received data under it is being told to delete it.',
  },
  sr: {
    signedIn: 'Prijavljeni ste.',
    languageChanged: 'Jezik je promenjen.',
    caseOpened: 'Slučaj je otvoren.',
    riskChanged: 'Procena rizika je sačuvana.',
    consentRecorded: 'Pristanak je zabeležen i potpisan.',
    consentWithdrawn: 'Pristanak je povučen. Svaki partner koji je po njemu dobio podatke dobija nalog da ih obriše.',
  },
  mk: {
    signedIn: 'Најавени сте.',
    languageChanged: 'Јазикот е променет.',
    caseOpened: 'Случајот е отворен.',
    riskChanged: 'Проценката на ризик е зачувана.',
    consentRecorded: 'Согласноста е запишана и потпишана.',
    consentWithdrawn: 'Согласноста е повлечена. Секој партнер што добил податоци според неа е известен да ги избрише.',
  },
  sq: {
    signedIn: 'Jeni identifikuar.',
    languageChanged: 'Gjuha u ndryshua.',
    caseOpened: 'Rasti u hap.',
    riskChanged: 'Vlerësimi i rrezikut u ruajt.',
    consentRecorded: 'Pëlqimi u regjistrua dhe u nënshkrua.',
    consentWithdrawn: 'Pëlqimi u tërhoq. Çdo partner që ka marrë të dhëna sipas tij po njoftohet t’i fshijë.',
  },
  de: {
    signedIn: 'Sie sind angemeldet.',
    languageChanged: 'Die Sprache wurde geändert.',
    caseOpened: 'Der Fall ist eröffnet.',
    riskChanged: 'Die Gefährdungseinschätzung ist gespeichert.',
    consentRecorded: 'Die Einwilligung ist erfasst und signiert.',
    consentWithdrawn: 'Die Einwilligung ist widerrufen. Jeder Partner, der Daten unter ihr erhalten hat, wird zur Löschung aufgefordert.',
  },
});
