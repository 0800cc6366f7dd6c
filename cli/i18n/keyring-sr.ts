import type { KeyRingCatalogue } from './keyring-en.js';

/** Messages of the key ring (srpski, latinica). */
export const keyRingSr: KeyRingCatalogue = {
  'help.keys.passphrase': 'promeniti lozinku koja otključava bazu čvora (ništa se ne šifruje ponovo)',
  'arg.passphraseFile': 'datoteka čiji je prvi red lozinka (inače se traži unos)',
  'arg.newPassphraseFile': 'datoteka čiji je prvi red nova lozinka',
  'arg.recoveryKeyFile': 'datoteka sa ključem za oporavak, umesto lozinke',
  'arg.init.keyFile': 'upisati i datoteku sa ključem ovde, za pokretanje bez nadzora (van fascikle sa podacima, npr. USB)',
  'passphrase.new': 'Nova lozinka (najmanje 10 znakova):',
  'passphrase.again': 'Ista lozinka ponovo:',
  'passphrase.current': 'Lozinka:',
  'passphrase.mismatch': 'Dve lozinke se razlikuju. Ništa nije promenjeno.',
  'passphrase.missing': 'Nema lozinke: unesite je kada se traži ili navedite {option}. Ništa nije promenjeno.',
  'passphrase.tooShort': 'Lozinka je prekratka: najmanje 10 znakova. Ništa nije promenjeno.',
  'passphrase.tooLong': 'Lozinka je predugačka: najviše 1.024 bajta. Ništa nije promenjeno.',
  'passphrase.cancelled': 'Otkazano. Ništa nije promenjeno.',
  'keyRing.exists': 'Ova fascikla sa podacima već ima privezak ključeva ({file}). Ništa nije promenjeno.',
  'keyFile.exists': 'Datoteka sa ključem {file} već postoji: izaberite novo ime. Ništa nije promenjeno.',
  'keyFile.insideDataDir': '{option} mora biti apsolutna putanja van fascikle sa podacima.',
  'init.recoveryKey': 'Vaš ključ za oporavak, prikazan samo ovaj put. Zapišite ga na papir i zaključajte: bez njega zaboravljena lozinka znači gubitak svih slučajeva.',
  'init.keyFile': 'Datoteka sa ključem za pokretanje bez nadzora upisana je u {file}: čuvajte je na prenosivom USB-u, ne pored fascikle sa podacima.',
  'keys.passphraseChanged': 'Lozinka za {dir} je promenjena. Sledeće pokretanje traži novu; ključ za oporavak i dalje važi.',
  'backup.encrypted': 'Rezervna kopija je šifrovana: za vraćanje su potrebni lozinka ili ključ za oporavak ovog čvora.',
  'restore.noKeyRing': 'Ova rezervna kopija nema privezak ključeva ({file}): nije šifrovana Corridor kopija. Ništa nije promenjeno.',
};
