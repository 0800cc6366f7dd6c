/** Messages of the key ring: passphrase, recovery key, key file, encrypted backups (ADR 0014). English is the reference. */
export const keyRingEn = {
  'help.keys.passphrase': 'change the passphrase that unlocks the node\'s database (nothing is re-encrypted)',
  'arg.passphraseFile': 'a file whose first line is the passphrase (otherwise it is asked for)',
  'arg.newPassphraseFile': 'a file whose first line is the new passphrase',
  'arg.recoveryKeyFile': 'a file holding the recovery key, instead of the passphrase',
  'arg.init.keyFile': 'also write a key file here for unattended starts (outside the data folder, e.g. a USB stick)',
  'passphrase.new': 'New passphrase (at least 10 characters):',
  'passphrase.again': 'The same passphrase again:',
  'passphrase.current': 'Passphrase:',
  'passphrase.mismatch': 'The two passphrases differ. Nothing was changed.',
  'passphrase.missing': 'No passphrase: type it when asked, or give {option}. Nothing was changed.',
  'passphrase.tooShort': 'The passphrase is too short: at least 10 characters. Nothing was changed.',
  'passphrase.tooLong': 'The passphrase is too long: at most 1,024 bytes. Nothing was changed.',
  'passphrase.cancelled': 'Cancelled. Nothing was changed.',
  'keyRing.exists': 'This data folder already has a key ring ({file}). Nothing was changed.',
  'keyFile.exists': 'The key file {file} already exists: choose a new name. Nothing was changed.',
  'keyFile.insideDataDir': '{option} must be an absolute path outside the data folder.',
  'init.recoveryKey': 'Your recovery key, shown only this once. Write it on paper and lock it away: without it, a forgotten passphrase loses every case.',
  'init.keyFile': 'Key file for unattended starts written to {file}: keep it on a removable stick, not next to the data folder.',
  'keys.passphraseChanged': 'The passphrase of {dir} is changed. The next start asks for the new one; the recovery key still works.',
  'backup.encrypted': 'The backup is encrypted: restoring it needs this node\'s passphrase or recovery key.',
  'restore.noKeyRing': 'This backup has no key ring ({file}): it is not an encrypted Corridor backup. Nothing was changed.',
} as const;

export type KeyRingCatalogue = Record<keyof typeof keyRingEn, string>;
