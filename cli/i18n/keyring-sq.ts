import type { KeyRingCatalogue } from './keyring-en.js';

/** Messages of the key ring (shqip). */
export const keyRingSq: KeyRingCatalogue = {
  'help.keys.passphrase': 'ndrysho fjalëkalimin që hap bazën e të dhënave të nyjes (asgjë nuk rishifrohet)',
  'arg.passphraseFile': 'një skedar, rreshti i parë i të cilit është fjalëkalimi (përndryshe kërkohet)',
  'arg.newPassphraseFile': 'një skedar, rreshti i parë i të cilit është fjalëkalimi i ri',
  'arg.recoveryKeyFile': 'një skedar me çelësin e rikuperimit, në vend të fjalëkalimit',
  'arg.init.keyFile': 'shkruaj edhe një skedar çelësi këtu për nisje pa mbikëqyrje (jashtë dosjes së të dhënave, p.sh. USB)',
  'passphrase.new': 'Fjalëkalimi i ri (të paktën 10 shenja):',
  'passphrase.again': 'I njëjti fjalëkalim përsëri:',
  'passphrase.current': 'Fjalëkalimi:',
  'passphrase.mismatch': 'Dy fjalëkalimet ndryshojnë. Asgjë nuk u ndryshua.',
  'passphrase.missing': 'Nuk ka fjalëkalim: shkruajeni kur kërkohet ose jepni {option}. Asgjë nuk u ndryshua.',
  'passphrase.tooShort': 'Fjalëkalimi është shumë i shkurtër: të paktën 10 shenja. Asgjë nuk u ndryshua.',
  'passphrase.tooLong': 'Fjalëkalimi është shumë i gjatë: më së shumti 1.024 bajt. Asgjë nuk u ndryshua.',
  'passphrase.cancelled': 'U anulua. Asgjë nuk u ndryshua.',
  'keyRing.exists': 'Kjo dosje e të dhënave ka tashmë një unazë çelësash ({file}). Asgjë nuk u ndryshua.',
  'keyFile.exists': 'Skedari i çelësit {file} ekziston tashmë: zgjidhni një emër të ri. Asgjë nuk u ndryshua.',
  'keyFile.insideDataDir': '{option} duhet të jetë një shteg absolut jashtë dosjes së të dhënave.',
  'init.recoveryKey': 'Çelësi juaj i rikuperimit, i treguar vetëm kësaj radhe. Shkruajeni në letër dhe mbyllni diku: pa të, një fjalëkalim i harruar humbet çdo rast.',
  'init.keyFile': 'Skedari i çelësit për nisje pa mbikëqyrje u shkrua në {file}: mbajeni në një USB të lëvizshëm, jo pranë dosjes së të dhënave.',
  'keys.passphraseChanged': 'Fjalëkalimi i {dir} u ndryshua. Nisja e radhës kërkon të riun; çelësi i rikuperimit vlen ende.',
  'backup.encrypted': 'Kopja rezervë është e shifruar: rikthimi i saj kërkon fjalëkalimin ose çelësin e rikuperimit të kësaj nyjeje.',
  'restore.noKeyRing': 'Kjo kopje rezervë nuk ka unazë çelësash ({file}): nuk është kopje e shifruar e Corridor. Asgjë nuk u ndryshua.',
};
