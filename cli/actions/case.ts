import { type CaseDetail, CaseInput, caseworkApi } from '../api/casework.js';
import { EXIT } from '../errors.js';
import { parseJsonText, readText } from '../files.js';
import type { ActionContext } from './context.js';
import { contactText, guarded, invalidInput, short, word, words } from './casework-words.js';

/**
 * `corridor case create|update|list|show`. A case comes from flags, a JSON file, or both (the
 * flags win, the person's fields one by one); it is checked here before anything is sent.
 * `show` is what a case worker shows a court or a funder: the consents, the referrals and the
 * disclosure ledger (who received which fields, when, under which consent version).
 */

export interface CaseArgs {
  file?: string | undefined;
  flags: CaseInput;
}

async function caseFrom(ctx: ActionContext, args: CaseArgs): Promise<{ value: CaseInput } | { exit: number }> {
  let base: Record<string, unknown> = {};
  if (args.file) {
    const parsed = parseJsonText(await readText(args.file), args.file);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { exit: invalidInput(ctx, [{ path: [] }], args.file) };
    base = parsed as Record<string, unknown>;
  }
  const person = typeof base.person === 'object' && base.person !== null ? base.person : {};
  const merged = { ...base, ...args.flags, ...(args.flags.person ? { person: { ...person, ...args.flags.person } } : {}) };
  const checked = CaseInput.safeParse(merged);
  return checked.success ? { value: checked.data } : { exit: invalidInput(ctx, checked.error.issues, args.file) };
}

export async function caseCreate(ctx: ActionContext, args: CaseArgs): Promise<number> {
  const input = await caseFrom(ctx, args);
  if ('exit' in input) return input.exit;
  const opened = await caseworkApi.createCase(ctx.client, input.value);
  if (ctx.out.json) ctx.out.data(opened);
  else ctx.out.line(ctx.out.style('ok', ctx.t('case.created', { id: opened.id })));
  return EXIT.ok;
}

export async function caseUpdate(ctx: ActionContext, caseId: string, args: CaseArgs): Promise<number> {
  return guarded(ctx, { case: caseId }, async () => {
    const input = await caseFrom(ctx, args);
    if ('exit' in input) return input.exit;
    const changed = await caseworkApi.updateCase(ctx.client, caseId, input.value);
    if (ctx.out.json) ctx.out.data(changed);
    else ctx.out.line(ctx.out.style('ok', ctx.t('case.updated', { id: caseId })));
    return EXIT.ok;
  });
}

export async function caseList({ client, out, t }: ActionContext): Promise<number> {
  const { cases } = await caseworkApi.cases(client);
  if (out.json) {
    out.data({ cases });
    return EXIT.ok;
  }
  if (cases.length === 0) {
    out.line(t('case.none'));
    return EXIT.ok;
  }
  out.table(
    [t('case.col.id'), t('case.col.state'), t('case.col.origin'), t('case.col.opened'), t('case.col.changed')],
    cases.map((c) => [c.id, word(t, 'caseState', c.state), word(t, 'origin', c.origin), out.dateMs(c.createdAt), out.dateMs(c.updatedAt)]),
  );
  return EXIT.ok;
}

export async function caseShow(ctx: ActionContext, caseId: string): Promise<number> {
  return guarded(ctx, { case: caseId }, async () => {
    const c = await caseworkApi.case(ctx.client, caseId);
    if (ctx.out.json) {
      ctx.out.data(c);
      return EXIT.ok;
    }
    const { out, t } = ctx;
    out.line(out.style('strong', t('case.heading', { id: c.id, state: word(t, 'caseState', c.state), origin: word(t, 'origin', c.origin) })));
    out.line(t('case.dates', { opened: out.dateMs(c.createdAt), changed: out.dateMs(c.updatedAt) }));
    if (c.data === null) out.line(out.style('warn', t('case.purged')));
    else dataLines(ctx, c.data);
    consentLines(ctx, c);
    referralLines(ctx, c);
    ledgerLines(ctx, c);
    return EXIT.ok;
  });
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function dataLines({ out, t }: ActionContext, data: Obj): void {
  const p = obj(data.person);
  const name = [str(p.givenName), str(p.familyName)].filter(Boolean).join(' ');
  const lines: string[] = [];
  if (name) lines.push(t('case.name', { name }));
  if (str(p.dateOfBirth)) lines.push(t('case.born', { date: out.day(String(p.dateOfBirth)) }));
  if (str(p.ageBand)) lines.push(t('case.ageBand', { band: String(p.ageBand) }));
  if (str(p.gender)) lines.push(t('case.gender', { gender: word(t, 'gender', String(p.gender)) }));
  if (strs(p.nationality).length > 0) lines.push(t('case.nationality', { list: strs(p.nationality).map((c) => out.country(c)).join(', ') }));
  if (strs(p.languages).length > 0) lines.push(t('case.languages', { list: strs(p.languages).map((l) => out.language(l)).join(', ') }));
  if (str(p.phone)) lines.push(t('case.phone', { phone: String(p.phone) }));
  if (p.child === true) lines.push(t('case.child'));
  const status = str(obj(data.status).victimStatus);
  if (status) lines.push(t('case.status', { status: word(t, 'victim', status) }));
  if (strs(data.needs).length > 0) lines.push(t('case.needs', { list: words(t, 'need', strs(data.needs)) }));
  const risk = str(obj(data.riskAssessment).level);
  if (risk) lines.push(t('case.risk', { level: word(t, 'risk', risk) }));
  if (str(data.notes)) lines.push(t('case.notes', { notes: short(String(data.notes)) }));
  for (const line of lines) out.line(line);
}

function consentLines({ out, t }: ActionContext, c: CaseDetail): void {
  out.line();
  out.line(out.style('strong', t('case.consents')));
  if (c.consents.length === 0) {
    out.line(t('case.noConsents', { id: c.id }));
    return;
  }
  out.table(
    [t('consent.col.id'), t('consent.col.version'), t('consent.col.status'), t('consent.col.expires'), t('consent.col.to'), t('consent.col.purposes')],
    c.consents.map((k) => [
      k.id,
      String(k.version),
      word(t, 'consentStatus', k.status),
      out.date(k.expires),
      [...new Set(k.processing.flatMap((p) => p.recipients))].join(', '),
      words(t, 'purpose', [...new Set(k.processing.flatMap((p) => p.purposes))]),
    ]),
    (i) => [t('consent.fields', { fields: [...new Set((c.consents[i]?.processing ?? []).flatMap((p) => p.fields))].join(' ') })],
  );
}

function referralLines({ out, t }: ActionContext, c: CaseDetail): void {
  out.line();
  out.line(out.style('strong', t('case.referrals')));
  if (c.referrals.length === 0) {
    out.line(t('case.noReferrals'));
    return;
  }
  out.table(
    [t('referral.col.id'), t('referral.col.direction'), t('referral.col.org'), t('referral.col.state'), t('referral.col.contact')],
    c.referrals.map((r) => [r.id, word(t, 'direction', r.direction), r.peerOrg, word(t, 'state', r.state), contactText(t, r.theirContact)]),
  );
}

function ledgerLines({ out, t }: ActionContext, c: CaseDetail): void {
  out.line();
  out.line(out.style('strong', t('case.ledger')));
  if (c.disclosures.length === 0) {
    out.line(t('case.noLedger'));
    return;
  }
  out.table(
    [t('ledger.col.date'), t('ledger.col.org'), t('ledger.col.consent'), t('ledger.col.purpose'), t('ledger.col.referral')],
    c.disclosures.map((d) => [out.dateMs(d.at), d.org, t('ledger.consent', { id: d.consentId, version: d.consentVersion }), word(t, 'purpose', d.purpose), d.referralId]),
    (i) => [t('ledger.fields', { fields: (c.disclosures[i]?.fields ?? []).join(' ') })],
  );
}
