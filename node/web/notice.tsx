import { sha256, toBase64Url } from '../../protocol/index.js';
import { FIELD_GROUPS, FIELD_WORDS } from './i18n/consent-fields.js';
import { NOTICE_ID, NOTICE_WORDS } from './i18n/consent-notice.js';
import { LANGUAGE_INFO, type NoticeLang, fill } from './i18n/languages.js';

/**
 * The consent text for the person, built from what the consent allows: who receives which of
 * their information, for what, how long it is kept, until when the consent runs, and that they
 * may withdraw it. The same lines are shown on the printed page and hashed (SHA-256 of the lines
 * joined by "\n", UTF-8, base64url) into the record's `notice`, so the text can be proven later.
 */

export interface NoticeSection {
  purposes: readonly string[];
  recipients: readonly string[];
  fields: readonly string[];
  onwardSharing: { allowed: boolean; to: readonly string[] };
  retention: string;
}

export interface NoticeInput {
  lang: NoticeLang;
  processing: readonly NoticeSection[];
  /** Unix seconds */
  expires: number;
  /** organisation id → its name as the directory gives it */
  orgNames: ReadonlyMap<string, string>;
}

export interface NoticeLine {
  text: string;
  /** a heading line (the title) or a list item under "what will be shared" */
  kind: 'title' | 'line' | 'item';
}

function list(lang: NoticeLang, items: readonly string[]): string {
  return new Intl.ListFormat(LANGUAGE_INFO[lang].tag, { style: 'long', type: 'conjunction' }).format(items);
}

/** the notice's lines in the person's language, in order */
export function noticeLines(input: NoticeInput): NoticeLine[] {
  const w = NOTICE_WORDS[input.lang];
  const f = FIELD_WORDS[input.lang] as Record<string, string>;
  const words = w as Record<string, string>;
  const org = (id: string) => input.orgNames.get(id) ?? id;
  const out: NoticeLine[] = [
    { kind: 'title', text: w.title },
    { kind: 'line', text: w.intro },
  ];
  for (const p of input.processing) {
    out.push({ kind: 'line', text: fill(w.recipients, { list: list(input.lang, p.recipients.map(org)) }) });
    out.push({ kind: 'line', text: fill(w.purposes, { list: list(input.lang, p.purposes.map((x) => words[x] ?? x)) }) });
    out.push({ kind: 'line', text: w.shared });
    for (const group of FIELD_GROUPS) {
      const chosen = group.fields.filter((x) => p.fields.includes(x));
      if (chosen.length > 0) out.push({ kind: 'item', text: `${f[group.category]}: ${list(input.lang, chosen.map((x) => f[x] ?? x))}` });
    }
    const unknown = p.fields.filter((x) => !FIELD_GROUPS.some((g) => (g.fields as readonly string[]).includes(x)));
    if (unknown.length > 0) out.push({ kind: 'item', text: list(input.lang, unknown) });
    out.push({ kind: 'line', text: w.nothingElse });
    out.push({ kind: 'line', text: p.onwardSharing.allowed ? fill(w.onwardYes, { list: list(input.lang, p.onwardSharing.to.map(org)) }) : w.onwardNo });
    out.push({ kind: 'line', text: fill(w.retention, { period: words[p.retention] ?? p.retention }) });
  }
  const date = new Intl.DateTimeFormat(LANGUAGE_INFO[input.lang].tag, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(input.expires * 1000));
  out.push({ kind: 'line', text: fill(w.until, { date }) });
  out.push({ kind: 'line', text: w.withdraw });
  out.push({ kind: 'line', text: w.afterWithdraw });
  return out;
}

/** SHA-256 (base64url) of the lines exactly as shown: their text joined by "\n", UTF-8 */
export function noticeHash(lines: readonly NoticeLine[]): string {
  return toBase64Url(sha256(new TextEncoder().encode(lines.map((l) => l.text).join('\n'))));
}

export function noticeRecord(input: NoticeInput): { id: string; language: string; sha256: string } {
  return { id: NOTICE_ID, language: input.lang, sha256: noticeHash(noticeLines(input)) };
}

/** the notice as the person reads it: `lang` and `dir` of its own, one element per line */
export function Notice(props: { input: NoticeInput }) {
  const info = LANGUAGE_INFO[props.input.lang];
  const lines = noticeLines(props.input);
  // consecutive items are one list; everything else a paragraph (the title a heading)
  const blocks: (NoticeLine | NoticeLine[])[] = [];
  for (const line of lines) {
    const last = blocks.at(-1);
    if (line.kind === 'item' && Array.isArray(last)) last.push(line);
    else blocks.push(line.kind === 'item' ? [line] : line);
  }
  return (
    <article class="notice" lang={info.tag} dir={info.dir} data-notice={NOTICE_ID}>
      {blocks.map((b) =>
        Array.isArray(b) ? (
          <ul>
            {b.map((l) => (
              <li data-line>{l.text}</li>
            ))}
          </ul>
        ) : b.kind === 'title' ? (
          <h2 data-line>{b.text}</h2>
        ) : (
          <p data-line>{b.text}</p>
        ),
      )}
      <dl class="facts signature">
        <dt>{NOTICE_WORDS[props.input.lang].signature}</dt>
        <dd>______________________________</dd>
        <dt>{NOTICE_WORDS[props.input.lang].date}</dt>
        <dd>______________________________</dd>
      </dl>
    </article>
  );
}
