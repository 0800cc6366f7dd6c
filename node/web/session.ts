import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sha256, toBase64Url } from '../../protocol/index.js';
import { type Lang, isLang } from './i18n/languages.js';
import { type LocalApi, type LocalFetch, ApiError, localApi } from './local-api.js';

/**
 * The browser's side of a session (issue 8): the local API's session token in an HttpOnly,
 * SameSite=Strict cookie (never in a URL, never readable by a script, never in browser storage);
 * every form carries a token bound to the session (a hash of it), and a POST without it, or from
 * another origin, is refused. The language is a cookie of its own (not personal data). A short
 * confirmation travels to the next page as a message key in a cookie, never as text.
 */

export interface Me {
  id: string;
  name: string;
  role: 'case-worker' | 'coordinator' | 'operator';
  team: string | null;
}

export type WebEnv = {
  Variables: {
    lang: Lang;
    token: string | null;
    api: LocalApi;
    csrf: string;
    me: Me;
    /** a confirmation from the previous action (a message key), shown once */
    flash: string | null;
  };
};

const SESSION = 'corridor_session';
const LANGUAGE = 'corridor_lang';
const FLASH = 'corridor_flash';

export function csrfFor(token: string | null): string {
  return token === null ? '' : toBase64Url(sha256(new TextEncoder().encode(`corridor web form:${token}`))).slice(0, 32);
}

function fromAcceptLanguage(header: string | undefined): Lang {
  for (const part of (header ?? '').split(',')) {
    const base = part.trim().split(/[-;]/)[0]?.toLowerCase();
    if (isLang(base)) return base;
    if (base === 'sh' || base === 'bs' || base === 'hr') return 'sr';
  }
  return 'en';
}

/** the session, the language, the API client and the form token, on every request */
export function sessionMiddleware(localFetch: LocalFetch): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const cookieLang = getCookie(c, LANGUAGE);
    c.set('lang', isLang(cookieLang) ? cookieLang : fromAcceptLanguage(c.req.header('accept-language')));
    const raw = getCookie(c, SESSION);
    const token = raw !== undefined && /^[A-Za-z0-9_-]{20,100}$/.test(raw) ? raw : null;
    c.set('token', token);
    c.set('api', localApi(localFetch, token));
    c.set('csrf', csrfFor(token));
    const flash = getCookie(c, FLASH);
    c.set('flash', flash !== undefined && /^[a-zA-Z.-]{1,60}$/.test(flash) ? flash : null);
    if (flash !== undefined) deleteCookie(c, FLASH, { path: '/' });
    if (c.req.method === 'POST') {
      // same origin only, and the form's token must belong to this session
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const crossSite = site !== undefined ? site !== 'same-origin' && site !== 'none' : origin !== undefined && origin !== 'null' && hostOf(origin) !== c.req.header('host');
      if (crossSite) return c.text('Refused: this form was not sent from Corridor.', 403);
      if (token !== null) {
        const form = await c.req.parseBody();
        if (form._csrf !== c.get('csrf')) return c.text('Refused: the form is out of date. Go back, reload the page and send it again.', 403);
      }
    }
    await next();
  };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** pages behind sign-in: who is signed in, or to the sign-in page */
export const requireSignIn: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (c.get('token') === null) return c.redirect('/sign-in', 303);
  try {
    const session = await c.get('api').get<{ account: Me }>('/api/v1/session');
    c.set('me', session.account);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signedOut(c, 'sessionEnded');
    throw error;
  }
  await next();
};

export function startSession(c: Context, token: string, secure: boolean): void {
  setCookie(c, SESSION, token, { path: '/', httpOnly: true, sameSite: 'Strict', secure });
}

/** ends the browser's side of the session and goes to the sign-in page with a message */
export function signedOut(c: Context, message: 'signedOut' | 'sessionEnded'): Response {
  deleteCookie(c, SESSION, { path: '/' });
  setCookie(c, FLASH, message, { path: '/', httpOnly: true, sameSite: 'Strict' });
  return c.redirect('/sign-in', 303);
}

export function setLanguage(c: Context, lang: Lang): void {
  setCookie(c, LANGUAGE, lang, { path: '/', httpOnly: true, sameSite: 'Strict', maxAge: 365 * 86_400 });
}

/** after an action: a confirmation on the next page, then a GET (so a reload does not repeat it) */
export function done(c: Context, message: string, to: string): Response {
  setCookie(c, FLASH, message, { path: '/', httpOnly: true, sameSite: 'Strict' });
  return c.redirect(safePath(to), 303);
}

/** only a path of this site (no scheme, no //host): where a form may send the browser back to */
export function safePath(to: string | undefined): string {
  return to !== undefined && /^\/(?![/\\])[A-Za-z0-9/_.?=&%-]*$/.test(to) ? to : '/';
}

