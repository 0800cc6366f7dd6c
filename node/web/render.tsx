import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { common } from './i18n/common.js';
import { confirmations } from './i18n/confirmations.js';
import { Page, type PageProps } from './layout.js';
import type { WebEnv } from './session.js';

/** a screen in the frame, for the signed-in person (or the sign-in page), in their language */
export function render(c: Context<WebEnv>, props: { title: string; section?: PageProps['section']; status?: 200 | 400 | 403 | 404 | 409 | 500 }, children: Child) {
  const lang = c.get('lang');
  const flashKey = c.get('flash');
  const flash = flashKey === null ? null : ((confirmations[lang] as Record<string, string>)[flashKey] ?? (common[lang] as Record<string, string>)[flashKey] ?? null);
  const here = c.req.method === 'GET' ? c.req.path : '/';
  return c.html(
    <Page lang={lang} title={props.title} me={c.var.me} csrf={c.get('csrf')} flash={flash} section={props.section} here={here}>
      {children}
    </Page>,
    props.status ?? 200,
  );
}
