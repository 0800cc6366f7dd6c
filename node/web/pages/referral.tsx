import type { Context, Hono } from 'hono';
import { CloseOutcome, DeclineReason, RevokeReason } from '../../../protocol/index.js';
import { formatTime, shortId } from '../format.js';
import { common } from '../i18n/common.js';
import { fill } from '../i18n/languages.js';
import { referral } from '../i18n/referral.js';
import { Csrf, Problems } from '../layout.js';
import type { ApiError } from '../local-api.js';
import { render } from '../render.js';
import { type WebEnv, done } from '../session.js';
import { term } from '../terms.js';
import { FieldTable, fixable } from './refer.js';

/**
 * A referral's page (issue 8): where it stands and its history, the other organisation and its
 * contact person, what the offer says, the consent it rests on; the receiving side accepts (naming
 * its contact person) or declines (with a reason); the referring side, once accepted, hands the
 * case over after a preview of exactly the fields that leave; revoke and close where the API
 * allows. Every action is a POST that ends on this page with a confirmation.
 */

interface Contact {
  name?: string;
  role?: string;
  phone?: string;
  email?: string;
}
interface ReferralView {
  id: string;
  direction: 'outgoing' | 'incoming';
  caseId: string | null;
  peerOrg: string;
  state: string;
  purpose: string;
  offer: Record<string, unknown>;
  theirContact: Contact | null;
  ourContact: Contact;
  consentId: string | null;
  reason: string | null;
  createdAt: number;
  events: { at: number; kind: string; org: string; detail: string | null }[];
}

type Open = { accept?: ApiError | null; decline?: ApiError | null; handover?: ApiError | null; revoke?: ApiError | null; close?: ApiError | null };

const OFFER_FIELDS = ['needs', 'languages', 'gender', 'ageBand', 'child', 'currentCountry', 'destinationCountry', 'urgency', 'purpose', 'summary', 'respondBy'];

const contactText = (c: Contact | null) => (c && c.name ? [c.name, c.role, c.phone, c.email].filter(Boolean).join(' · ') : null);

async function load(c: Context<WebEnv>, id: string) {
  const r = await c.get('api').get<ReferralView>(`/api/v1/referrals/${encodeURIComponent(id)}`);
  let name = r.peerOrg;
  try {
    name = (await c.get('api').get<{ name: string }>(`/api/v1/directory/orgs/${encodeURIComponent(r.peerOrg)}`)).name;
  } catch {
    // an organisation no longer in the directory: its id
  }
  return { r, name };
}

async function page(c: Context<WebEnv>, id: string, problems: Open = {}) {
  const lang = c.get('lang');
  const m = referral[lang];
  const { r, name } = await load(c, id);
  const csrf = c.get('csrf');
  const action = (what: string) => `/referrals/${encodeURIComponent(r.id)}/${what}`;
  const fields = OFFER_FIELDS.filter((k) => r.offer[k] !== undefined).map((k) => `/${k}`);
  const failed = Object.values(problems).some((p) => p);
  const note = (prefix: string) => (
    <div>
      <label for={`${prefix}-note`}>{m.note}</label>
      <textarea id={`${prefix}-note`} name="note" rows={2}></textarea>
    </div>
  );
  return render(
    c,
    { title: m.referralTitle, section: 'inbox', status: failed ? 400 : 200 },
    <>
      <h1>{fill(r.direction === 'outgoing' ? m.referralTo : m.referralFrom, { org: name })}</h1>
      <dl class="facts">
        <dt>{m.state}</dt>
        <dd>
          <span class="badge" id="referral-state" data-state={r.state}>
            {term(lang, 'referralState', r.state)}
          </span>
          {r.state === 'declined' && r.reason ? ` (${term(lang, 'declineReason', r.reason)})` : ''}
          {r.state === 'revoked' && r.reason ? ` (${term(lang, 'revokeReason', r.reason)})` : ''}
        </dd>
        <dt>{m.purposeLabel}</dt>
        <dd>{term(lang, 'purpose', r.purpose)}</dd>
        <dt>{m.created}</dt>
        <dd>{formatTime(lang, r.createdAt)}</dd>
        <dt>{m.theirContact}</dt>
        <dd id="their-contact">{contactText(r.theirContact) ?? m.notNamed}</dd>
        <dt>{m.ourContact}</dt>
        <dd>{contactText(r.ourContact) ?? m.notNamed}</dd>
        <dt>{m.consentTitle}</dt>
        <dd>
          {r.consentId ? fill(m.consentRef, { id: shortId(r.consentId).replace('…', '') }) : '—'}
          {r.caseId ? (
            <>
              {' '}
              <a href={`/cases/${encodeURIComponent(r.caseId)}`}>{r.direction === 'incoming' ? m.receivedCase : m.openCase}</a>
            </>
          ) : null}
        </dd>
      </dl>
      <section aria-labelledby="offer-title">
        <h2 id="offer-title">{m.offerTitle}</h2>
        <FieldTable lang={lang} fields={fields} body={r.offer} id="offer" />
      </section>
      {r.direction === 'incoming' && r.state === 'offered' ? (
        <div class="columns">
          <section aria-labelledby="accept-title">
            <h2 id="accept-title">{m.acceptTitle}</h2>
            <p>{fill(m.acceptIntro, { org: name })}</p>
            <Problems lang={lang} error={problems.accept ?? null} labels={{ 'contact.name': m.contactName, 'contact.role': m.contactRole, 'contact.phone': m.contactPhone, 'contact.email': m.contactEmail, note: m.note }} />
            <form method="post" action={action('accept')} class="stack">
              <Csrf value={csrf} />
              <fieldset>
                <legend>{m.ourContact}</legend>
                <div>
                  <label for="accept-name">{m.contactName}</label>
                  <input type="text" id="accept-name" name="name" value={c.get('me').name} autocomplete="name" />
                </div>
                <div>
                  <label for="accept-role">{m.contactRole}</label>
                  <input type="text" id="accept-role" name="role" />
                </div>
                <div>
                  <label for="accept-phone">{m.contactPhone}</label>
                  <input type="text" id="accept-phone" name="phone" autocomplete="tel" />
                </div>
                <div>
                  <label for="accept-email">{m.contactEmail}</label>
                  <input type="text" id="accept-email" name="email" autocomplete="email" />
                </div>
              </fieldset>
              {note('accept')}
              <div>
                <button type="submit">{m.acceptButton}</button>
              </div>
            </form>
          </section>
          <section aria-labelledby="decline-title">
            <h2 id="decline-title">{m.declineTitle}</h2>
            <Problems lang={lang} error={problems.decline ?? null} labels={{ reason: m.reason, note: m.note }} />
            <form method="post" action={action('decline')} class="stack">
              <Csrf value={csrf} />
              <div>
                <label for="decline-reason">{m.reason}</label>
                <select id="decline-reason" name="reason">
                  {DeclineReason.options.map((d) => (
                    <option value={d}>{term(lang, 'declineReason', d)}</option>
                  ))}
                </select>
              </div>
              {note('decline')}
              <div>
                <button type="submit" class="danger">
                  {m.declineButton}
                </button>
              </div>
            </form>
          </section>
        </div>
      ) : null}
      {r.direction === 'outgoing' && r.state === 'accepted' ? (
        <section aria-labelledby="handover-title">
          <h2 id="handover-title">{m.handoverTitle}</h2>
          <p>{fill(m.handoverIntro, { org: name })}</p>
          <Problems lang={lang} error={problems.handover ?? null} />
          <form method="post" action={action('handover')} class="stack">
            <Csrf value={csrf} />
            <div>
              <input type="hidden" name="step" value="preview" />
              <button type="submit">{m.handoverPreview}</button>
            </div>
          </form>
        </section>
      ) : null}
      {r.state === 'handed-over' ? (
        <section aria-labelledby="court-trip-title">
          <h2 id="court-trip-title">{m.courtTripTitle}</h2>
          <p>
            <a href={`/court-trips/new?referral=${r.id}`}>{m.courtTripLink}</a>
          </p>
        </section>
      ) : null}
      <section aria-labelledby="history-title">
        <h2 id="history-title">{m.history}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{m.when}</th>
                <th scope="col">{m.what}</th>
                <th scope="col">{m.who}</th>
              </tr>
            </thead>
            <tbody>
              {r.events.map((e) => (
                <tr>
                  <td>{formatTime(lang, e.at)}</td>
                  <td>{term(lang, 'referralEvent', e.kind)}</td>
                  <td>{e.org}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {r.direction === 'outgoing' && ['offered', 'accepted', 'handed-over'].includes(r.state) ? (
        <section aria-labelledby="revoke-title">
          <h2 id="revoke-title">{m.revokeTitle}</h2>
          <Problems lang={lang} error={problems.revoke ?? null} labels={{ reason: m.reason, note: m.note }} />
          <form method="post" action={action('revoke')} class="stack">
            <Csrf value={csrf} />
            <div>
              <label for="revoke-reason">{m.reason}</label>
              <select id="revoke-reason" name="reason">
                {RevokeReason.options.map((d) => (
                  <option value={d}>{term(lang, 'revokeReason', d)}</option>
                ))}
              </select>
            </div>
            {note('revoke')}
            <div>
              <button type="submit" class="danger">
                {m.revokeButton}
              </button>
            </div>
          </form>
        </section>
      ) : null}
      {!['closed', 'revoked', 'declined', 'offered'].includes(r.state) ? (
        <section aria-labelledby="close-title">
          <h2 id="close-title">{m.closeTitle}</h2>
          <Problems lang={lang} error={problems.close ?? null} labels={{ outcome: m.outcome, note: m.note }} />
          <form method="post" action={action('close')} class="stack">
            <Csrf value={csrf} />
            <div>
              <label for="close-outcome">{m.outcome}</label>
              <select id="close-outcome" name="outcome">
                {CloseOutcome.options.map((d) => (
                  <option value={d}>{term(lang, 'closeOutcome', d)}</option>
                ))}
              </select>
            </div>
            {note('close')}
            <div>
              <button type="submit">{m.closeButton}</button>
            </div>
          </form>
        </section>
      ) : null}
    </>,
  );
}

async function handoverPreview(c: Context<WebEnv>, id: string, preview: { body: Record<string, unknown>; fields: string[] }) {
  const lang = c.get('lang');
  const m = referral[lang];
  const { name } = await load(c, id);
  const risk = preview.body.riskToLife as Record<string, unknown> | undefined;
  return render(
    c,
    { title: m.handoverTitle, section: 'inbox' },
    <>
      <h1>{fill(m.handoverPreviewTitle, { org: name })}</h1>
      <p>{m.handoverPreviewIntro}</p>
      <FieldTable lang={lang} fields={preview.fields} body={(preview.body.case as Record<string, unknown>) ?? {}} id="handover-preview" />
      {risk ? (
        <p>
          {m.riskToLife}: {term(lang, 'riskLevel', String(risk.level))}
        </p>
      ) : null}
      <form method="post" action={`/referrals/${encodeURIComponent(id)}/handover`} class="stack" data-long>
        <Csrf value={c.get('csrf')} />
        <div>
          <input type="hidden" name="step" value="send" />
          <button type="submit">{m.handoverSend}</button>{' '}
          <a href={`/referrals/${encodeURIComponent(id)}`}>{common[lang].back}</a>
        </div>
      </form>
    </>,
  );
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const opt = (k: string, v: unknown) => (text(v) === '' ? {} : { [k]: text(v) });

export function mountReferral(app: Hono<WebEnv>): void {
  app.get('/referrals/:id', (c) => page(c, c.req.param('id')));

  const act = (what: 'accept' | 'decline' | 'revoke' | 'close', confirmation: string, input: (f: Record<string, unknown>) => Record<string, unknown>) =>
    app.post(`/referrals/:id/${what}`, async (c) => {
      const id = c.req.param('id');
      const form = await c.req.parseBody();
      try {
        await c.get('api').post(`/api/v1/referrals/${encodeURIComponent(id)}/${what}`, input(form));
        return done(c, confirmation, `/referrals/${id}`);
      } catch (error) {
        if (!fixable(error)) throw error;
        return page(c, id, { [what]: error });
      }
    });
  act('accept', 'referralAccepted', (f) => ({ contact: { ...opt('name', f.name), ...opt('role', f.role), ...opt('phone', f.phone), ...opt('email', f.email) }, ...opt('note', f.note) }));
  act('decline', 'referralDeclined', (f) => ({ ...opt('reason', f.reason), ...opt('note', f.note) }));
  act('revoke', 'referralRevoked', (f) => ({ ...opt('reason', f.reason), ...opt('note', f.note) }));
  act('close', 'referralClosed', (f) => ({ ...opt('outcome', f.outcome), ...opt('note', f.note) }));

  app.post('/referrals/:id/handover', async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    try {
      if (form.step === 'send') {
        await c.get('api').post(`/api/v1/referrals/${encodeURIComponent(id)}/handover`, {});
        return done(c, 'caseHandedOver', `/referrals/${id}`);
      }
      return await handoverPreview(c, id, await c.get('api').post(`/api/v1/referrals/${encodeURIComponent(id)}/handover/preview`, {}));
    } catch (error) {
      if (!fixable(error)) throw error;
      return page(c, id, { handover: error });
    }
  });
}

