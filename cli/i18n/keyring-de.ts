import type { KeyRingCatalogue } from './keyring-en.js';

/** Messages of the key ring (Deutsch). */
export const keyRingDe: KeyRingCatalogue = {
  'help.keys.passphrase': 'die Passphrase ändern, die die Datenbank des Knotens entsperrt (nichts wird neu verschlüsselt)',
  'arg.passphraseFile': 'eine Datei, deren erste Zeile die Passphrase ist (sonst wird sie abgefragt)',
  'arg.newPassphraseFile': 'eine Datei, deren erste Zeile die neue Passphrase ist',
  'arg.recoveryKeyFile': 'eine Datei mit dem Wiederherstellungsschlüssel, statt der Passphrase',
  'arg.init.keyFile': 'zusätzlich hier eine Schlüsseldatei für unbeaufsichtigte Starts schreiben (außerhalb des Datenordners, z. B. USB-Stick)',
  'passphrase.new': 'Neue Passphrase (mindestens 10 Zeichen):',
  'passphrase.again': 'Dieselbe Passphrase noch einmal:',
  'passphrase.current': 'Passphrase:',
  'passphrase.mismatch': 'Die beiden Passphrasen unterscheiden sich. Nichts wurde geändert.',
  'passphrase.missing': 'Keine Passphrase: Geben Sie sie bei der Abfrage ein oder nutzen Sie {option}. Nichts wurde geändert.',
  'passphrase.tooShort': 'Die Passphrase ist zu kurz: mindestens 10 Zeichen. Nichts wurde geändert.',
  'passphrase.tooLong': 'Die Passphrase ist zu lang: höchstens 1.024 Bytes. Nichts wurde geändert.',
  'passphrase.cancelled': 'Abgebrochen. Nichts wurde geändert.',
  'keyRing.exists': 'Dieser Datenordner hat schon einen Schlüsselbund ({file}). Nichts wurde geändert.',
  'keyFile.exists': 'Die Schlüsseldatei {file} gibt es schon: Wählen Sie einen neuen Namen. Nichts wurde geändert.',
  'keyFile.insideDataDir': '{option} muss ein absoluter Pfad außerhalb des Datenordners sein.',
  'init.recoveryKey': 'Ihr Wiederherstellungsschlüssel, nur dieses eine Mal gezeigt. Schreiben Sie ihn auf Papier und schließen Sie ihn weg: Ohne ihn kostet eine vergessene Passphrase alle Fälle.',
  'init.keyFile': 'Schlüsseldatei für unbeaufsichtigte Starts in {file} geschrieben: Bewahren Sie sie auf einem Wechseldatenträger auf, nicht neben dem Datenordner.',
  'keys.passphraseChanged': 'Die Passphrase von {dir} ist geändert. Der nächste Start fragt nach der neuen; der Wiederherstellungsschlüssel gilt weiter.',
  'backup.encrypted': 'Die Sicherung ist verschlüsselt: Zum Zurückspielen braucht es die Passphrase oder den Wiederherstellungsschlüssel dieses Knotens.',
  'restore.noKeyRing': 'Diese Sicherung hat keinen Schlüsselbund ({file}): Sie ist keine verschlüsselte Corridor-Sicherung. Nichts wurde geändert.',
};
