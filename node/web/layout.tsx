import type { Child } from 'hono/jsx';
import { common } from './i18n/common.js';
import { problems } from './i18n/problems.js';
import { type Lang, INTERFACE_LANGUAGES, LANGUAGE_INFO, fill } from './i18n/languages.js';
import type { Me } from './session.js';
import type { ApiError } from './local-api.js';

/**
 * The frame of every screen: landmarks (banner, navigation, main, contentinfo), a skip link, the
 * language switch and sign-out as plain forms, a live region for the confirmation of the last
 * action. The title never holds personal data: it names the screen, not the person.
 */

export interface PageProps {
  lang: Lang;
  title: string;
  /** signed in: the navigation, the language switch, sign-out */
  me?: Me | undefined;
  csrf?: string;
  /** the confirmation of the last action, already translated */
  flash?: string | null | undefined;
  /** which navigation entry is this screen's */
  section?: 'inbox' | 'cases' | 'directory' | 'court-trips' | 'status';
  /** the path the language switch comes back to */
  here?: string;
  children?: Child;
}

export function Page(props: PageProps) {
  const m = common[props.lang];
  const info = LANGUAGE_INFO[props.lang];
  const nav: { key: NonNullable<PageProps['section']>; href: string; label: string; roles?: Me['role'][] }[] = [
    { key: 'inbox', href: '/', label: m.inbox },
    { key: 'cases', href: '/cases', label: m.cases },
    { key: 'court-trips', href: '/court-trips', label: m.courtTrips },
    { key: 'directory', href: '/directory', label: m.directory },
    { key: 'status', href: '/status', label: m.status, roles: ['operator', 'coordinator'] },
  ];
  return (
    <html lang={info.tag} dir={info.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · ${m.appName}`}</title>
        <link rel="stylesheet" href="/assets/style.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          {m.skip}
        </a>
        <header class="top">
          <span class="brand">{m.appName}</span>
          {props.me ? (
            <nav aria-label={m.nav}>
              <ul>
                {nav
                  .filter((n) => !n.roles || n.roles.includes(props.me!.role))
                  .map((n) => (
                    <li>
                      <a href={n.href} aria-current={props.section === n.key ? 'page' : undefined}>
                        {n.label}
                      </a>
                    </li>
                  ))}
              </ul>
            </nav>
          ) : null}
          <div class="who">
            <form method="post" action="/language" class="inline">
              {props.csrf ? <input type="hidden" name="_csrf" value={props.csrf} /> : null}
              <input type="hidden" name="back" value={props.here ?? '/'} />
              <label for="lang-switch">{m.language}</label>{' '}
              <select id="lang-switch" name="lang">
                {INTERFACE_LANGUAGES.map((l) => (
                  <option value={l} selected={l === props.lang} lang={LANGUAGE_INFO[l].tag}>
                    {LANGUAGE_INFO[l].name}
                  </option>
                ))}
              </select>{' '}
              <button type="submit">{m.change}</button>
            </form>
            {props.me ? (
              <form method="post" action="/sign-out" class="inline">
                <input type="hidden" name="_csrf" value={props.csrf ?? ''} />
                <span>{fill(m.signedInAs, { name: props.me.name, role: (m as Record<string, string>)[`role.${props.me.role}`] ?? props.me.role })}</span>{' '}
                <button type="submit">{m.signOut}</button>
              </form>
            ) : null}
          </div>
        </header>
        <main id="main" tabindex={-1}>
          <div role="status" aria-live="polite" class={props.flash ? 'flash' : 'flash empty'}>
            {props.flash ?? ''}
          </div>
          <p class="progress" hidden>
            <progress aria-label={m.working}></progress> {m.working}
          </p>
          {props.children}
        </main>
        <footer>
          <p>{m.appName}</p>
        </footer>
      </body>
    </html>
  );
}

/** a refused form: what to fix, field by field, never the value that was sent */
export function Problems(props: { lang: Lang; error: ApiError | null; labels?: Record<string, string> }) {
  if (!props.error) return null;
  const m = common[props.lang];
  return (
    <div class="problems" role="alert" tabindex={-1} id="problems">
      <p>{props.error.issues.length > 0 ? m.fixFields : props.error.message}</p>
      {props.error.issues.length > 0 ? (
        <ul>
          {props.error.issues.map((issue) => (
            <li>
              {props.labels?.[issue.path] ?? issue.path}: {Object.hasOwn(problems[props.lang], issue.problem) ? problems[props.lang][issue.problem as keyof (typeof problems)['en']] : issue.problem}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** a hidden form token: every form that changes something carries it */
export function Csrf(props: { value: string }) {
  return <input type="hidden" name="_csrf" value={props.value} />;
}
