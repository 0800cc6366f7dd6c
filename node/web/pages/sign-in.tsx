import type { Context, Hono } from 'hono';
import { common } from '../i18n/common.js';
import { isLang } from '../i18n/languages.js';
import { ApiError } from '../local-api.js';
import { render } from '../render.js';
import { type WebEnv, done, safePath, setLanguage, signedOut, startSession } from '../session.js';

/**
 * Sign in, sign out and the language switch (kept per browser, and with the account once signed
 * in, so it follows the person). A wrong name or password gets the same answer as a
 * disabled account (the local API's `LoginFailed`); too many attempts say to wait. The password
 * never comes back in the page.
 */
export function mountSignIn(app: Hono<WebEnv>, options: { secureCookies: boolean }): void {
  const form = (c: Context<WebEnv>, problem: string | null, name: string, status: 200 | 400 = 200) => {
    const m = common[c.get('lang')];
    return render(
      c,
      { title: m.signInTitle, status },
      <section aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{m.signInTitle}</h1>
        <p>{m.signInIntro}</p>
        {problem ? (
          <div class="problems" role="alert" id="problems" tabindex={-1}>
            <p>{problem}</p>
          </div>
        ) : null}
        <form method="post" action="/sign-in" class="stack">
          <div>
            <label for="name">{m.name}</label>
            <input type="text" id="name" name="name" autocomplete="username" required maxlength={200} value={name} />
          </div>
          <div>
            <label for="password">{m.password}</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required maxlength={1024} />
          </div>
          <div>
            <button type="submit">{m.signIn}</button>
          </div>
        </form>
      </section>,
    );
  };

  app.get('/sign-in', (c) => form(c, null, ''));

  app.post('/sign-in', async (c) => {
    const m = common[c.get('lang')];
    const body = await c.req.parseBody();
    const name = typeof body.name === 'string' ? body.name.trim().slice(0, 200) : '';
    const password = typeof body.password === 'string' ? body.password : '';
    try {
      const signedIn = await c.get('api').post<{ token: string; language: string | null }>('/api/v1/session', { name, password });
      startSession(c, signedIn.token, options.secureCookies);
      // the language this person chose before, on any browser, follows them here
      if (isLang(signedIn.language)) setLanguage(c, signedIn.language);
      return done(c, 'signedIn', '/');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const text = error.code === 'RateLimited' ? m.rateLimited : m.signInFailed;
      return form(c, text, name, 400);
    }
  });

  app.post('/sign-out', async (c) => {
    if (c.get('token') !== null) {
      try {
        await c.get('api').del('/api/v1/session');
      } catch (error) {
        if (!(error instanceof ApiError)) throw error; // already ended: signed out all the same
      }
    }
    return signedOut(c, 'signedOut');
  });

  app.post('/language', async (c) => {
    const body = await c.req.parseBody();
    if (isLang(body.lang)) {
      setLanguage(c, body.lang);
      // signed in: kept with the account too, so it follows the person to another browser
      if (c.get('token') !== null) {
        try {
          await c.get('api').put('/api/v1/session/language', { language: body.lang });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error; // an ended session: this browser keeps it all the same
        }
      }
    }
    return done(c, 'languageChanged', safePath(typeof body.back === 'string' ? body.back : '/'));
  });
}
