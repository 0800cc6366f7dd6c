import type { NoticeLang } from './languages.js';

/**
 * The consent text the person reads (or has read to them) before they agree, in the interface's
 * five languages and in Arabic and Farsi (right to left). Plain sentences, one idea each; the
 * exact lines shown are hashed into the consent record's `notice` (node/web/notice.ts), so what
 * the person was told can be proven later. A change to these words is a new NOTICE_ID.
 */

export const NOTICE_ID = 'corridor-consent-notice-1';

type Keys =
  | 'title'
  | 'intro'
  | 'recipients'
  | 'purposes'
  | 'shared'
  | 'nothingElse'
  | 'onwardNo'
  | 'onwardYes'
  | 'retention'
  | 'until'
  | 'withdraw'
  | 'afterWithdraw'
  | 'signature'
  | 'date'
  | 'referral'
  | 'assistance'
  | 'legal-proceedings'
  | 'return-travel'
  | 'reintegration'
  | 'P6M'
  | 'P1Y'
  | 'P2Y'
  | 'P5Y';

export const NOTICE_WORDS: Record<NoticeLang, Record<Keys, string>> = {
  en: {
    title: 'Your consent to share your information',
    intro: 'To get you help from other organisations, we would like to share some of your information with them. We share it only if you agree.',
    recipients: 'Who will receive it: {list}.',
    purposes: 'What for: {list}.',
    shared: 'What will be shared:',
    nothingElse: 'Nothing else about you is shared.',
    onwardNo: 'They may not pass your information on to anyone else.',
    onwardYes: 'They may pass it on only to: {list}.',
    retention: 'They keep it for at most {period}.',
    until: 'Your consent ends on {date}. After that, your information is no longer shared.',
    withdraw: 'You can withdraw your consent at any time, without giving a reason. Our help for you does not depend on it.',
    afterWithdraw: 'If you withdraw it, every organisation that received your information must delete it and confirm that it did.',
    signature: 'Signature',
    date: 'Date',
    referral: 'to refer you to them',
    assistance: 'to help and support you',
    'legal-proceedings': 'for court and legal proceedings',
    'return-travel': 'to organise your travel home',
    reintegration: 'to support you after your return',
    P6M: '6 months',
    P1Y: '1 year',
    P2Y: '2 years',
    P5Y: '5 years',
  },
  sr: {
    title: 'Vaš pristanak na deljenje vaših podataka',
    intro: 'Da biste dobili pomoć od drugih organizacija, želimo da sa njima podelimo neke vaše podatke. Delimo ih samo ako se vi složite.',
    recipients: 'Ko će ih dobiti: {list}.',
    purposes: 'Zbog čega: {list}.',
    shared: 'Šta će biti podeljeno:',
    nothingElse: 'Ništa drugo o vama se ne deli.',
    onwardNo: 'Oni ne smeju da prenesu vaše podatke nikome drugom.',
    onwardYes: 'Mogu da ih prenesu samo: {list}.',
    retention: 'Čuvaju ih najduže {period}.',
    until: 'Vaš pristanak ističe {date}. Posle toga se vaši podaci više ne dele.',
    withdraw: 'Možete povući pristanak u bilo kom trenutku, bez navođenja razloga. Naša pomoć vama ne zavisi od toga.',
    afterWithdraw: 'Ako ga povučete, svaka organizacija koja je dobila vaše podatke mora da ih obriše i da potvrdi da je to uradila.',
    signature: 'Potpis',
    date: 'Datum',
    referral: 'da biste bili upućeni njima',
    assistance: 'da vam pomognu i pruže podršku',
    'legal-proceedings': 'za sudske i pravne postupke',
    'return-travel': 'da organizuju vaš povratak kući',
    reintegration: 'da vam pruže podršku posle povratka',
    P6M: '6 meseci',
    P1Y: '1 godinu',
    P2Y: '2 godine',
    P5Y: '5 godina',
  },
  mk: {
    title: 'Вашата согласност за споделување на вашите податоци',
    intro: 'За да добиете помош од други организации, би сакале да споделиме некои ваши податоци со нив. Ги споделуваме само ако вие се согласите.',
    recipients: 'Кој ќе ги добие: {list}.',
    purposes: 'За што: {list}.',
    shared: 'Што ќе биде споделено:',
    nothingElse: 'Ништо друго за вас не се споделува.',
    onwardNo: 'Тие не смеат да ги пренесат вашите податоци на никој друг.',
    onwardYes: 'Може да ги пренесат само на: {list}.',
    retention: 'Ги чуваат најмногу {period}.',
    until: 'Вашата согласност истекува на {date}. Потоа вашите податоци повеќе не се споделуваат.',
    withdraw: 'Може да ја повлечете согласноста во секое време, без да наведете причина. Нашата помош за вас не зависи од тоа.',
    afterWithdraw: 'Ако ја повлечете, секоја организација што ги добила вашите податоци мора да ги избрише и да потврди дека го направила тоа.',
    signature: 'Потпис',
    date: 'Датум',
    referral: 'за да бидете упатени кај нив',
    assistance: 'за да ви помогнат и да ве поддржат',
    'legal-proceedings': 'за судски и правни постапки',
    'return-travel': 'за да го организираат вашето враќање дома',
    reintegration: 'за да ве поддржат по враќањето',
    P6M: '6 месеци',
    P1Y: '1 година',
    P2Y: '2 години',
    P5Y: '5 години',
  },
  sq: {
    title: 'Pëlqimi juaj për ndarjen e të dhënave tuaja',
    intro: 'Që të merrni ndihmë nga organizata të tjera, duam të ndajmë me to disa nga të dhënat tuaja. I ndajmë vetëm nëse ju pajtoheni.',
    recipients: 'Kush do t’i marrë: {list}.',
    purposes: 'Për çfarë: {list}.',
    shared: 'Çfarë do të ndahet:',
    nothingElse: 'Asgjë tjetër për ju nuk ndahet.',
    onwardNo: 'Ata nuk mund t’ia japin të dhënat tuaja askujt tjetër.',
    onwardYes: 'Mund t’ia japin vetëm: {list}.',
    retention: 'I mbajnë për më së shumti {period}.',
    until: 'Pëlqimi juaj mbaron më {date}. Pas kësaj, të dhënat tuaja nuk ndahen më.',
    withdraw: 'Mund ta tërhiqni pëlqimin në çdo kohë, pa dhënë arsye. Ndihma jonë për ju nuk varet nga kjo.',
    afterWithdraw: 'Nëse e tërhiqni, çdo organizatë që ka marrë të dhënat tuaja duhet t’i fshijë dhe të konfirmojë se e ka bërë këtë.',
    signature: 'Nënshkrimi',
    date: 'Data',
    referral: 'për t’ju referuar tek ata',
    assistance: 'për t’ju ndihmuar dhe mbështetur',
    'legal-proceedings': 'për procedura gjyqësore dhe ligjore',
    'return-travel': 'për të organizuar kthimin tuaj në shtëpi',
    reintegration: 'për t’ju mbështetur pas kthimit',
    P6M: '6 muaj',
    P1Y: '1 vit',
    P2Y: '2 vjet',
    P5Y: '5 vjet',
  },
  de: {
    title: 'Ihre Einwilligung, Ihre Daten weiterzugeben',
    intro: 'Damit Sie Hilfe von anderen Organisationen bekommen, möchten wir einige Ihrer Daten an sie weitergeben. Wir tun das nur, wenn Sie zustimmen.',
    recipients: 'Wer sie bekommt: {list}.',
    purposes: 'Wofür: {list}.',
    shared: 'Was weitergegeben wird:',
    nothingElse: 'Sonst wird nichts über Sie weitergegeben.',
    onwardNo: 'Sie dürfen Ihre Daten an niemanden sonst weitergeben.',
    onwardYes: 'Sie dürfen sie nur weitergeben an: {list}.',
    retention: 'Sie bewahren sie höchstens {period} auf.',
    until: 'Ihre Einwilligung endet am {date}. Danach werden Ihre Daten nicht mehr weitergegeben.',
    withdraw: 'Sie können Ihre Einwilligung jederzeit ohne Angabe von Gründen widerrufen. Unsere Hilfe für Sie hängt nicht davon ab.',
    afterWithdraw: 'Wenn Sie widerrufen, muss jede Organisation, die Ihre Daten bekommen hat, sie löschen und die Löschung bestätigen.',
    signature: 'Unterschrift',
    date: 'Datum',
    referral: 'um Sie an sie zu vermitteln',
    assistance: 'um Sie zu unterstützen und zu begleiten',
    'legal-proceedings': 'für Gerichts- und Rechtsverfahren',
    'return-travel': 'um Ihre Heimreise zu organisieren',
    reintegration: 'um Sie nach Ihrer Rückkehr zu unterstützen',
    P6M: '6 Monate',
    P1Y: '1 Jahr',
    P2Y: '2 Jahre',
    P5Y: '5 Jahre',
  },
  ar: {
    title: 'موافقتك على مشاركة معلوماتك',
    intro: 'لكي تحصل على المساعدة من منظمات أخرى، نود أن نشارك بعض معلوماتك معها. لن نشاركها إلا إذا وافقت.',
    recipients: 'من سيتلقاها: {list}.',
    purposes: 'لأي غرض: {list}.',
    shared: 'ما الذي ستتم مشاركته:',
    nothingElse: 'لن تتم مشاركة أي شيء آخر عنك.',
    onwardNo: 'لا يجوز لهم نقل معلوماتك إلى أي جهة أخرى.',
    onwardYes: 'يجوز لهم نقلها فقط إلى: {list}.',
    retention: 'يحتفظون بها لمدة أقصاها {period}.',
    until: 'تنتهي موافقتك في {date}. بعد ذلك لن تتم مشاركة معلوماتك.',
    withdraw: 'يمكنك سحب موافقتك في أي وقت دون ذكر سبب. مساعدتنا لك لا تتوقف على ذلك.',
    afterWithdraw: 'إذا سحبت موافقتك، يجب على كل منظمة تلقت معلوماتك أن تحذفها وأن تؤكد أنها فعلت ذلك.',
    signature: 'التوقيع',
    date: 'التاريخ',
    referral: 'لإحالتك إليهم',
    assistance: 'لمساعدتك ودعمك',
    'legal-proceedings': 'للإجراءات القضائية والقانونية',
    'return-travel': 'لتنظيم عودتك إلى بلدك',
    reintegration: 'لدعمك بعد عودتك',
    P6M: '6 أشهر',
    P1Y: 'سنة واحدة',
    P2Y: 'سنتين',
    P5Y: '5 سنوات',
  },
  fa: {
    title: 'رضایت شما برای به اشتراک گذاشتن اطلاعاتتان',
    intro: 'برای اینکه از سازمان‌های دیگر کمک بگیرید، می‌خواهیم برخی از اطلاعات شما را با آنها در میان بگذاریم. فقط در صورتی این کار را می‌کنیم که شما موافق باشید.',
    recipients: 'چه کسانی آن را دریافت می‌کنند: {list}.',
    purposes: 'برای چه: {list}.',
    shared: 'چه چیزی به اشتراک گذاشته می‌شود:',
    nothingElse: 'هیچ چیز دیگری درباره شما به اشتراک گذاشته نمی‌شود.',
    onwardNo: 'آنها اجازه ندارند اطلاعات شما را به هیچ کس دیگری بدهند.',
    onwardYes: 'آنها فقط می‌توانند آن را به این سازمان‌ها بدهند: {list}.',
    retention: 'آنها حداکثر {period} آن را نگه می‌دارند.',
    until: 'رضایت شما در تاریخ {date} به پایان می‌رسد. پس از آن اطلاعات شما دیگر به اشتراک گذاشته نمی‌شود.',
    withdraw: 'شما می‌توانید هر زمان و بدون ذکر دلیل رضایت خود را پس بگیرید. کمک ما به شما به این موضوع بستگی ندارد.',
    afterWithdraw: 'اگر رضایت خود را پس بگیرید، هر سازمانی که اطلاعات شما را دریافت کرده باید آن را حذف کند و حذف آن را تأیید کند.',
    signature: 'امضا',
    date: 'تاریخ',
    referral: 'برای معرفی شما به آنها',
    assistance: 'برای کمک و حمایت از شما',
    'legal-proceedings': 'برای رسیدگی‌های دادگاهی و حقوقی',
    'return-travel': 'برای ترتیب دادن سفر بازگشت شما',
    reintegration: 'برای حمایت از شما پس از بازگشت',
    P6M: '۶ ماه',
    P1Y: '۱ سال',
    P2Y: '۲ سال',
    P5Y: '۵ سال',
  },
};

export const RETENTION_CHOICES = ['P6M', 'P1Y', 'P2Y', 'P5Y'] as const;
