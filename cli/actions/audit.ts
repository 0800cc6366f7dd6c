import type { MessageId } from '../i18n/index.js';
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
