import { z } from 'zod';
import type { LocalClient } from '../client.js';

/** The audit routes of the local API as the CLI reads them (loose: newer fields are ignored). */

const Count = z.number().int().nonnegative();

export const AuditProblem = z.looseObject({
  at: z.enum(['entry', 'checkpoint', 'frontier']),
  reason: z.enum(['changed', 'missing', 'out-of-order', 'malformed', 'bad-signature', 'root-differs']),
  seq: Count.optional(),
  size: Count.optional(),
  fromSeq: Count.optional(),
});
export type AuditProblem = z.infer<typeof AuditProblem>;

export const AuditVerifyAnswer = z.looseObject({
  ok: z.boolean(),
  entries: Count,
  checkpoints: Count,
  verifiedUpTo: Count,
  problem: AuditProblem.nullable(),
  checkpoint: z.looseObject({ size: Count, root: z.string(), at: Count }).nullable(),
  witnesses: z.array(z.looseObject({ node: z.string(), size: Count, verdict: z.enum(['consistent', 'forked', 'unchecked']) })),
});
export type AuditVerifyAnswer = z.infer<typeof AuditVerifyAnswer>;

export const auditApi = {
  /** a large log takes a while: up to 10 minutes */
  verify: (client: LocalClient) => client.post('/api/v1/audit/verify', {}, AuditVerifyAnswer, { timeoutMs: 600_000 }),
  /** the evidence bundle of one case, as the node wrote it (kept as text: the bytes are what is checked) */
  evidence: (client: LocalClient, caseId: string) => client.get(`/api/v1/cases/${encodeURIComponent(caseId)}/evidence`, z.unknown()),
};
