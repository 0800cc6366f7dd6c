import type { Context, Hono } from 'hono';
import { type CaseView, orgNames } from '../case-api.js';
import { consent as words } from '../i18n/consent.js';
import { NOTICE_WORDS } from '../i18n/consent-notice.js';
import { LANGUAGE_INFO, NOTICE_LANGUAGES, type NoticeLang, isNoticeLang } from '../i18n/languages.js';
import { Notice, type NoticeInput, noticeHash, noticeLines } from '../notice.js';
import type { WebEnv } from '../session.js';
import { CONSENTS_PATH, type Form, draftFrom, noticeInput } from './consent.js';

/**
 * The consent text on a page of its own, to print and give to the person: the whole document
 * in their language (`<html lang dir>`, right to left for Arabic and Farsi), the print button,
 * and, for the case worker only (not printed), whether this is word for word the text the
 * record's `notice` hash was made of. For a recorded consent (GET, ids only in the URL) or for
 * the draft under review (POST: the draft travels in the form, not in the URL).
 */

function PrintPage(props: { c: Context<WebEnv>; input: NoticeInput; check: 'matches' | 'differs' | 'draft'; back: string; other?: string }) {
  const lang = props.c.get('lang');
  const m = words[lang];
  const info = LANGUAGE_INFO[props.input.lang];
  return (
    <html lang={info.tag} dir={info.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{NOTICE_WORDS[props.input.lang].title}</title>
        <link rel="stylesheet" href="/assets/style.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <main id="main">
          <h1 class="no-print" lang={lang} dir={LANGUAGE_INFO[lang].dir}>
            {m.printTitle}
          </h1>
          <div class="no-print" lang={lang} dir={LANGUAGE_INFO[lang].dir}>
            <p role="status" class={props.check === 'differs' ? 'problems' : 'flash'}>
              {props.check === 'matches' ? m.hashMatches : props.check === 'differs' ? m.hashDiffers : m.draftNotRecorded}
            </p>
            <p>
              <button type="button" data-print hidden>
                {m.print}
              </button>{' '}
              <a href={props.back}>{m.backToCase}</a>
            </p>
            {props.other ? (
              <form method="get" action={props.other} class="inline">
                <label for="print-lang">{m.otherLanguage}</label>{' '}
                <select id="print-lang" name="lang">
                  {NOTICE_LANGUAGES.map((l) => (
                    <option value={l} lang={LANGUAGE_INFO[l].tag} selected={l === props.input.lang}>
                      {LANGUAGE_INFO[l].name}
                    </option>
                  ))}
                </select>{' '}
                <button type="submit" class="secondary">
                  {m.show}
                </button>
              </form>
            ) : null}
          </div>
          <Notice input={props.input} />
        </main>
      </body>
    </html>
  );
}

export function mountConsentPrint(app: Hono<WebEnv>): void {
  const path = CONSENTS_PATH;
  app.get(`${path}/:consentId{[0-9A-HJKMNP-TV-Z]{26}}/print`, async (c) => {
    const api = c.get('api');
    const found = await api.get<CaseView>(`/api/v1/cases/${c.req.param('id')}`);
    const k = found.consents.find((x) => x.id === c.req.param('consentId'));
    if (!k) return c.notFound();
    const asked = c.req.query('lang');
    const lang: NoticeLang = isNoticeLang(asked) ? asked : isNoticeLang(k.notice?.language) ? (k.notice!.language as NoticeLang) : isNoticeLang(k.given.language) ? (k.given.language as NoticeLang) : c.get('lang');
    const names = await orgNames(api, k.processing.flatMap((p) => [...p.recipients, ...p.onwardSharing.to]));
    const input: NoticeInput = { lang, expires: k.expires, orgNames: names, processing: k.processing };
    const matches = k.notice !== null && k.notice.language === lang && k.notice.sha256 === noticeHash(noticeLines(input));
    return c.html(<PrintPage c={c} input={input} check={matches ? 'matches' : 'differs'} back={`/cases/${found.id}`} other={c.req.path} />);
  });

  app.post(`${path}/print`, async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    const api = c.get('api');
    const { now } = await api.get<{ now: number }>('/api/v1/session');
    const { draft } = draftFrom(form, now);
    const names = await orgNames(api, [...draft.recipients, ...(draft.onward ?? [])]);
    return c.html(<PrintPage c={c} input={noticeInput(draft, draft.personLang, names)} check="draft" back={`/cases/${c.req.param('id')}`} />);
  });
}
