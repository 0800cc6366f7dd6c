import type { Context, Hono } from 'hono';
import { orgNames } from '../case-api.js';
import { shortId } from '../format.js';
import { consentCard as words } from '../i18n/consent-card.js';
import { Csrf, Problems } from '../layout.js';
import { ApiError } from '../local-api.js';
import { render } from '../render.js';
import { type WebEnv, done } from '../session.js';
import { term } from '../terms.js';
import { CONSENTS_PATH } from './consent.js';

/**
 * Withdrawing a consent, from the case view: first a page that says what will happen (nothing
 * more is shared; every partner that received data is told to delete it; deletion receipts come
 * back and show on the case) and who will be told; then the withdrawal itself.
 */

interface Status {
  id: string;
  status: string;
  local: boolean;
  recipients: { org: string }[];
}

const GIVERS = ['data-subject', 'guardian', 'legal-representative'] as const;

async function confirmation(c: Context<WebEnv>, error: ApiError | null) {
  const lang = c.get('lang');
  const m = words[lang];
  const api = c.get('api');
  const caseId = c.req.param('id') ?? '';
  const status = await api.get<Status>(`/api/v1/consents/${c.req.param('consentId')}`);
  const names = await orgNames(api, status.recipients.map((r) => r.org));
  return render(
    c,
    { title: m.withdrawTitle, section: 'cases', status: error ? 400 : 200 },
    <>
      <h1>{m.withdrawTitle}</h1>
      <Problems lang={lang} error={error} labels={{ by: m.withdrawBy }} />
      <p>
        {m.consent} {shortId(status.id)}: <span class="badge">{term(lang, 'consentStatus', status.status)}</span>
      </p>
      <p>{m.withdrawIntro}</p>
      <ul>
        <li>{m.withdrawWhat1}</li>
        <li>{m.withdrawWhat2}</li>
        <li>{m.withdrawWhat3}</li>
      </ul>
      <h2>{m.withdrawTold}</h2>
      {status.recipients.length === 0 ? (
        <p>{m.withdrawNobody}</p>
      ) : (
        <ul>
          {status.recipients.map((r) => (
            <li>{names.get(r.org) ?? r.org}</li>
          ))}
        </ul>
      )}
      <form method="post" action={`/cases/${caseId}/consents/${status.id}/withdraw`} class="stack" data-long>
        <Csrf value={c.get('csrf')} />
        <div>
          <label for="by">{m.withdrawBy}</label>
          <select id="by" name="by">
            {GIVERS.map((g) => (
              <option value={g}>{term(lang, 'consentGiver', g)}</option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit" class="danger">
            {m.withdrawConfirm}
          </button>{' '}
          <a href={`/cases/${caseId}`}>{m.cancel}</a>
        </div>
      </form>
    </>,
  );
}

export function mountConsentWithdraw(app: Hono<WebEnv>): void {
  const path = `${CONSENTS_PATH}/:consentId{[0-9A-HJKMNP-TV-Z]{26}}/withdraw`;
  app.get(path, (c) => confirmation(c, null));
  app.post(path, async (c) => {
    const body = await c.req.parseBody();
    const by = (GIVERS as readonly string[]).includes(String(body.by)) ? String(body.by) : 'data-subject';
    try {
      await c.get('api').post(`/api/v1/consents/${c.req.param('consentId')}/withdraw`, { by });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      return confirmation(c, error);
    }
    return done(c, 'consentWithdrawn', `/cases/${c.req.param('id')}`);
  });
}
