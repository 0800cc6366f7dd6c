import { type ConsentDetail, ConsentInput, type WithdrawInput, caseworkApi } from '../api/casework.js';
import { EXIT } from '../errors.js';
import { parseJsonText, readText } from '../files.js';
import type { ActionContext } from './context.js';
import { guarded, invalidInput, word } from './casework-words.js';

/**
 * `corridor consent record|show|withdraw`. The consent is what lets data leave: the recipients,
 * purposes and fields it names, until it expires or the person withdraws it. A withdrawal is
 * told to every organisation that received data; `show` says which of them confirmed deletion.
 */

export interface RecordArgs {
  caseId: string;
  /** the whole consent as the API takes it; the flags are not used then */
  file?: string | undefined;
  input?: ConsentInput | undefined;
}

export async function consentRecord(ctx: ActionContext, args: RecordArgs): Promise<number> {
  return guarded(ctx, { case: args.caseId }, async () => {
    const raw = args.file ? parseJsonText(await readText(args.file), args.file) : args.input;
    const checked = ConsentInput.safeParse(raw);
    if (!checked.success) return invalidInput(ctx, checked.error.issues, args.file);
    const recorded = await caseworkApi.recordConsent(ctx.client, args.caseId, checked.data);
    if (ctx.out.json) ctx.out.data(recorded);
    else ctx.out.line(ctx.out.style('ok', ctx.t('consent.recorded', { id: recorded.id, version: recorded.version, date: ctx.out.date(recorded.expires) })));
    return EXIT.ok;
  });
}

export async function consentShow(ctx: ActionContext, consentId: string): Promise<number> {
  return guarded(ctx, { consent: consentId }, async () => {
    const consent = await caseworkApi.consent(ctx.client, consentId);
    if (ctx.out.json) ctx.out.data(consent);
    else consentLines(ctx, consent);
    return EXIT.ok;
  });
}

export async function consentWithdraw(ctx: ActionContext, consentId: string, input: WithdrawInput): Promise<number> {
  return guarded(ctx, { consent: consentId }, async () => {
    const answer = await caseworkApi.withdrawConsent(ctx.client, consentId, input);
    if (ctx.out.json) {
      ctx.out.data(answer);
      return EXIT.ok;
    }
    ctx.out.line(ctx.out.style('ok', ctx.t('consent.withdrawn', { id: consentId })));
    if (answer.notices.length > 0) ctx.out.line(ctx.t('consent.toldList', { list: [...new Set(answer.notices.map((n) => n.org))].join(', ') }));
    return EXIT.ok;
  });
}

function consentLines({ out, t }: ActionContext, c: ConsentDetail): void {
  const latest = c.versions.at(-1);
  const until = latest?.expires === undefined ? t('none') : out.date(latest.expires);
  out.line(out.style('strong', t('consent.heading', { id: c.id, status: word(t, 'consentStatus', c.status), date: until })));
  out.line(out.style('strong', t('consent.versions')));
  for (const v of c.versions) out.line(`  ${t('consent.version', { version: String(v.version), status: word(t, 'consentStatus', v.status), date: out.date(v.recordedAt) })}`);
  if (c.recipients.length > 0) {
    out.line(out.style('strong', t('consent.recipients')));
    for (const r of c.recipients) {
      const since = r.firstAt === undefined ? t('none') : out.dateMs(r.firstAt);
      out.line(`  ${t('consent.recipient', { org: r.org, date: since, fields: r.fields.join(' ') || t('none') })}`);
    }
  }
  if (c.notices.length === 0) return;
  out.line(out.style('strong', t('consent.notices')));
  for (const n of c.notices) {
    if (typeof n.receiptAt === 'number') out.line(`  ${t('consent.notice.deleted', { org: n.org, sent: typeof n.sentAt === 'number' ? out.dateMs(n.sentAt) : t('none'), date: out.dateMs(n.receiptAt) })}`);
    else if (typeof n.escalatedAt === 'number') out.line(`  ${out.style('bad', t('consent.notice.escalated', { org: n.org, date: out.dateMs(n.escalatedAt) }))}`);
    else if (n.sent !== false && typeof n.sentAt === 'number') out.line(`  ${out.style('warn', t('consent.notice.waiting', { org: n.org, sent: out.dateMs(n.sentAt) }))}`);
    else out.line(`  ${out.style('warn', t('consent.notice.notSent', { org: n.org }))}`);
  }
}
