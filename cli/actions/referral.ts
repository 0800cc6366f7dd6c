import { type OfferInput, type OnwardInput, type Referral, type ReferralDetail, type ReferralStep, caseworkApi } from '../api/casework.js';
import { EXIT } from '../errors.js';
import type { MessageId } from '../i18n/index.js';
import type { ActionContext } from './context.js';
import { contactText, guarded, short, word, words } from './casework-words.js';

/**
 * `corridor refer`, `corridor referral list|show|accept|decline|revoke|close|update|onward` and
 * `corridor handover`. An offer carries nothing identifying; the case follows with the handover,
 * projected through the consent, once the other side accepted and named a contact person.
 */

export async function refer(ctx: ActionContext, input: OfferInput): Promise<number> {
  return guarded(ctx, { case: input.caseId, consent: input.consentId, org: input.to, purpose: input.purpose }, async () => {
    const r = await caseworkApi.refer(ctx.client, input);
    if (ctx.out.json) ctx.out.data(r);
    else ctx.out.line(ctx.out.style('ok', ctx.t('refer.sent', { id: r.id, org: r.peerOrg })));
    return EXIT.ok;
  });
}

export async function referOnward(ctx: ActionContext, referralId: string, input: OnwardInput): Promise<number> {
  return guarded(ctx, { referral: referralId, org: input.to, purpose: input.purpose }, async () => {
    const r = await caseworkApi.onward(ctx.client, referralId, input);
    if (ctx.out.json) ctx.out.data(r);
    else ctx.out.line(ctx.out.style('ok', ctx.t('referral.onward', { id: r.id, org: r.peerOrg })));
    return EXIT.ok;
  });
}

const DONE: Record<ReferralStep, MessageId> = {
  accept: 'referral.accepted',
  decline: 'referral.declined',
  revoke: 'referral.revoked',
  close: 'referral.closed',
  update: 'referral.updated',
  handover: 'referral.handedOver',
};

/** one step of a referral: accept, decline, revoke, close, update, handover */
export async function referralStep(ctx: ActionContext, referralId: string, step: ReferralStep, input: unknown): Promise<number> {
  return guarded(ctx, { referral: referralId }, async () => {
    const r = await caseworkApi.step(ctx.client, referralId, step, input);
    if (ctx.out.json) {
      ctx.out.data(r);
      return EXIT.ok;
    }
    ctx.out.line(ctx.out.style('ok', ctx.t(DONE[step], { id: r.id, org: r.peerOrg, state: word(ctx.t, 'state', r.state) })));
    if (step === 'handover') {
      const detail = await caseworkApi.referral(ctx.client, referralId);
      const fields = [...detail.events].reverse().find((e) => e.kind === 'handed-over')?.detail;
      if (fields) ctx.out.line(ctx.t('ledger.fields', { fields }));
    }
    return EXIT.ok;
  });
}

export interface ListFilter {
  direction?: 'incoming' | 'outgoing' | undefined;
  state?: string | undefined;
}

export async function referralList({ client, out, t }: ActionContext, filter: ListFilter = {}): Promise<number> {
  const all = (await caseworkApi.referrals(client)).referrals;
  const referrals = all.filter((r) => (!filter.direction || r.direction === filter.direction) && (!filter.state || r.state === filter.state));
  if (out.json) {
    out.data({ referrals });
    return EXIT.ok;
  }
  if (referrals.length === 0) {
    out.line(t('referral.none'));
    return EXIT.ok;
  }
  referralTable({ out, t }, referrals);
  return EXIT.ok;
}

export function referralTable({ out, t }: Pick<ActionContext, 'out' | 't'>, referrals: Referral[]): void {
  out.table(
    [t('referral.col.id'), t('referral.col.direction'), t('referral.col.org'), t('referral.col.state'), t('referral.col.contact'), t('referral.col.changed')],
    referrals.map((r) => [r.id, word(t, 'direction', r.direction), r.peerOrg, word(t, 'state', r.state), contactText(t, r.theirContact), out.dateMs(r.updatedAt)]),
  );
}

export async function referralShow(ctx: ActionContext, referralId: string): Promise<number> {
  return guarded(ctx, { referral: referralId }, async () => {
    const r = await caseworkApi.referral(ctx.client, referralId);
    if (ctx.out.json) ctx.out.data(r);
    else referralLines(ctx, r);
    return EXIT.ok;
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function referralLines({ out, t }: ActionContext, r: ReferralDetail): void {
  out.line(out.style('strong', t('referral.heading', { id: r.id, direction: word(t, 'direction', r.direction), org: r.peerOrg, state: word(t, 'state', r.state) })));
  const o = r.offer;
  const lines: string[] = [];
  if (r.caseId) lines.push(t('referral.case', { id: r.caseId }));
  if (r.consentId) lines.push(t('referral.consent', { id: r.consentId }));
  lines.push(t('referral.purpose', { purpose: word(t, 'purpose', r.purpose) }));
  if (strs(o.needs).length > 0) lines.push(t('referral.needs', { list: words(t, 'need', strs(o.needs)) }));
  if (str(o.urgency)) lines.push(t('referral.urgency', { urgency: word(t, 'urgency', String(o.urgency)) }));
  const known = (v: unknown) => (str(v) && v !== 'unknown' ? String(v) : undefined);
  const gender = known(o.gender);
  const person = [gender ? word(t, 'gender', gender) : undefined, known(o.ageBand), strs(o.languages).map((l) => out.language(l)).join(', ') || undefined]
    .filter((x): x is string => x !== undefined)
    .join(', ');
  if (person) lines.push(t('referral.person', { person }));
  if (str(o.currentCountry)) {
    const current = out.country(String(o.currentCountry));
    lines.push(str(o.destinationCountry) ? t('referral.countries', { current, destination: out.country(String(o.destinationCountry)) }) : t('referral.countryNow', { current }));
  }
  if (str(o.summary)) lines.push(t('referral.summary', { summary: short(String(o.summary), 500) }));
  lines.push(r.theirContact ? t('referral.contactThere', { org: r.peerOrg, contact: contactText(t, r.theirContact) }) : t('referral.noContactYet', { org: r.peerOrg }));
  if (str(r.ourContact.name)) lines.push(t('referral.contactUs', { contact: contactText(t, r.ourContact) }));
  if (r.chain.length > 1) lines.push(t('referral.chain', { chain: r.chain.join(' → ') }));
  if (r.reason) lines.push(t('referral.reason', { reason: r.reason }));
  if (r.outcome) lines.push(t('referral.outcome', { outcome: r.outcome }));
  for (const line of lines) out.line(line);
  out.line();
  out.line(out.style('strong', t('referral.history')));
  out.table(
    [t('ledger.col.date'), t('ledger.col.org'), t('referral.col.event')],
    r.events.map((e) => [out.dateMs(e.at), e.org, e.detail ? `${word(t, 'event', e.kind)}: ${e.detail}` : word(t, 'event', e.kind)]),
  );
}
