import { Hono } from 'hono';
import { APP_JS, STYLE_CSS } from './assets.js';
import { common } from './i18n/common.js';
import { ApiError, type LocalFetch } from './local-api.js';
import { render } from './render.js';
import { type WebEnv, requireSignIn, sessionMiddleware, signedOut } from './session.js';
import { mountSignIn } from './pages/sign-in.js';
import { mountInbox } from './pages/inbox.js';
import { mountCourtTrips } from './pages/court-trips.js';
import { mountCourtTrip } from './pages/court-trip.js';
import { mountStatus } from './pages/status.js';
import { mountDirectory } from './pages/directory.js';
import { mountRefer } from './pages/refer.js';
import { mountReferral } from './pages/referral.js';
import { mountCases } from './pages/cases.js';
import { mountCase } from './pages/case.js';
import { mountConsent } from './pages/consent.js';
import { mountConsentPrint } from './pages/consent-print.js';
import { mountConsentWithdraw } from './pages/consent-withdraw.js';
import { mountDocument } from './pages/document.js';

/**
 * The web interface for case workers (issue 8; ADR 0019): pages rendered on the server with
 * Hono's JSX, served on the node's web port, over the same local API the CLI uses (`localFetch`
 * is the node's own fetch handler). One screen per file under pages/. No page is cached, none is
 * framed, no script or style comes from anywhere but here.
 */

export interface WebOptions {
  localFetch: LocalFetch;
  /** cookies only over HTTPS (when the node sits behind a TLS proxy) */
  secureCookies?: boolean;
  /** where an unexpected failure is reported (never with personal data: the name of the error only) */
  onError?: (error: Error, path: string) => void;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function buildWebApp(options: WebOptions): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use('*', async (c, next) => {
    await next();
    c.header('content-security-policy', CSP);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
    c.header('x-frame-options', 'DENY');
    if (!c.req.path.startsWith('/assets/')) c.header('cache-control', 'no-store');
  });
  app.get('/assets/style.css', (c) => c.body(STYLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' }));
  app.get('/assets/app.js', (c) => c.body(APP_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' }));
  app.use('*', sessionMiddleware(options.localFetch));

  mountSignIn(app, { secureCookies: options.secureCookies ?? false });
  app.use('*', requireSignIn);
  mountInbox(app);
  mountCourtTrips(app);
  mountCourtTrip(app);
  mountStatus(app);
  mountDirectory(app);
  mountRefer(app);
  mountReferral(app);
  mountCases(app);
  mountCase(app);
  mountConsent(app);
  mountConsentPrint(app);
  mountConsentWithdraw(app);
  mountDocument(app);

  app.notFound((c) => {
    const m = common[c.get('lang') ?? 'en'];
    return render(c, { title: m.notFoundTitle, status: 404 }, <NotFound title={m.notFoundTitle} text={m.notFound} />);
  });
  app.onError((error, c) => {
    const m = common[c.get('lang') ?? 'en'];
    if (error instanceof ApiError) {
      if (error.status === 401) return signedOut(c, 'sessionEnded');
      if (error.status === 403) return render(c, { title: m.forbiddenTitle, status: 403 }, <NotFound title={m.forbiddenTitle} text={m.forbidden} />);
      if (error.status === 404) return render(c, { title: m.notFoundTitle, status: 404 }, <NotFound title={m.notFoundTitle} text={m.notFound} />);
    }
    options.onError?.(error, c.req.path);
    return render(c, { title: m.errorTitle, status: 500 }, <NotFound title={m.errorTitle} text={error instanceof ApiError ? error.message : m.errorTitle} />);
  });
  return app;
}

function NotFound(props: { title: string; text: string }) {
  return (
    <section>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <p>
        <a href="/">{'←'}</a>
      </p>
    </section>
  );
}
