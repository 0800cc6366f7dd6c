import { canonicalBytes, checkEvidence } from '../../protocol/index.js';
import type { MessageId } from '../i18n/index.js';
import type { Output } from '../output.js';
import { readBytes, writeFileAtomic } from '../files.js';
import { type AuditProblem, auditApi } from '../api/audit.js';
import { EXIT } from '../errors.js';
import type { ActionContext } from './context.js';

/**
 * `corridor audit verify`: the node recomputes its whole audit log; one line says it verifies,
 * or names the first entry or checkpoint that does not (exit 1). Then each partner checkpoint held
 * as a witness and what its last check found; a forked one also fails the command.
 */
export async function auditVerify({ client, out, t }: ActionContext): Promise<number> {
  const answer = await auditApi.verify(client);
  const forked = answer.witnesses.filter((w) => w.verdict === 'forked');
  const code = answer.ok && forked.length === 0 ? EXIT.ok : EXIT.failed;
  if (out.json) {
    out.data(answer);
    return code;
  }
  if (answer.ok) out.line(out.style('ok', t('audit.verify.ok', { entries: answer.entries, checkpoints: answer.checkpoints, size: answer.checkpoint?.size ?? answer.verifiedUpTo })));
  else if (answer.problem) out.problem(problemLine(answer.problem, t));
  for (const w of answer.witnesses) {
    const line = t('audit.verify.witness', { node: w.node, size: w.size, verdict: t(`audit.verdict.${w.verdict}` as MessageId) });
    out.line(w.verdict === 'forked' ? out.style('bad', line) : line);
  }
  return code;
}

export function problemLine(p: AuditProblem, t: ActionContext['t']): string {
  const id = `audit.verify.${p.at}.${p.reason}` as MessageId;
  return t(id, { seq: p.seq ?? 0, size: p.size ?? 0, from: p.fromSeq ?? 0, to: p.seq ?? 0 });
}

/**
 * `corridor audit evidence <case> --out FILE`: the node's signed evidence bundle of one case,
 * written byte for byte as the node signed it (atomically), then checked here as a third party
 * would, so what is written is known to verify.
 */
export async function auditEvidence({ client, out, t }: ActionContext, caseId: string, file: string): Promise<number> {
  const answer = await auditApi.evidence(client, caseId);
  const bytes = canonicalBytes(answer);
  const checked = checkEvidence(bytes);
  if (!checked.ok) {
    out.problem(t('audit.check.failed', { part: checked.part, reason: t(`audit.reason.${checked.reason}` as MessageId) }));
    return EXIT.failed;
  }
  await writeFileAtomic(file, new TextDecoder().decode(bytes));
  const s = checked.summary;
  if (out.json) {
    out.data({ file, ...s });
    return EXIT.ok;
  }
  out.line(out.style('ok', t('audit.evidence.written', { case: s.caseId, file, consents: s.consents, messages: s.received + s.sent, receipts: s.receipts, entries: s.entries })));
  out.line(t('audit.check.fingerprint', { org: s.org, fingerprint: s.orgKeyFingerprint }));
  return EXIT.ok;
}

/** `corridor audit check-evidence FILE [--org-key-fingerprint F]`: offline, protocol/ only, no node. */
export async function auditCheckEvidence(out: Output, t: ActionContext['t'], file: string, fingerprint: string | undefined): Promise<number> {
  const bytes = await readBytes(file);
  const checked = checkEvidence(bytes, fingerprint === undefined ? {} : { orgKeyFingerprint: fingerprint });
  if (!checked.ok) {
    if (out.json) out.data({ ok: false, part: checked.part, reason: checked.reason });
    out.problem(t('audit.check.failed', { part: checked.part, reason: t(`audit.reason.${checked.reason}` as MessageId) }));
    return EXIT.failed;
  }
  const s = checked.summary;
  if (out.json) {
    out.data({ ok: true, ...s, fingerprintChecked: fingerprint !== undefined });
    return EXIT.ok;
  }
  out.line(out.style('ok', t('audit.check.ok', { case: s.caseId, node: s.node, consents: s.consents, messages: s.received + s.sent, receipts: s.receipts, entries: s.entries, size: s.checkpointSize })));
  out.line(fingerprint === undefined ? t('audit.check.fingerprint', { org: s.org, fingerprint: s.orgKeyFingerprint }) : out.style('ok', t('audit.check.fingerprintMatches')));
  return EXIT.ok;
}
