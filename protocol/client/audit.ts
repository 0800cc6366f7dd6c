import { type Result, fail, ok } from '../errors.js';
import { decodeProof } from '../audit/checkpoint.js';
import { type MirrorRequest, signedGet } from './directory.js';

/**
 * Cross-witnessing over the federation API: a signed GET of the consistency proof between two
 * sizes of a peer's audit log (`GET /federation/v1/audit/consistency?from=&to=`). The answer is
 * only hashes; whether they prove anything is `checkWitness`'s to say. Never throws.
 */
export const AUDIT_CONSISTENCY_PATH = '/federation/v1/audit/consistency';
const MAX_PROOF_BYTES = 16 * 1024;

export async function fetchConsistencyProof(input: MirrorRequest, from: number, to: number): Promise<Result<Uint8Array[], 'PeerUnavailable' | 'BadResponse' | 'NotFound' | 'Unauthenticated' | 'InvalidRequest'>> {
  const got = await signedGet(input, `${AUDIT_CONSISTENCY_PATH}?from=${from}&to=${to}`, MAX_PROOF_BYTES);
  if (!got.ok) {
    if (got.code === 'PeerUnavailable' || got.code === 'NotFound' || got.code === 'Unauthenticated' || got.code === 'InvalidRequest') return fail(got.code);
    return fail('BadResponse');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(got.bytes));
  } catch {
    return fail('BadResponse');
  }
  const answer = parsed as { from?: unknown; to?: unknown; proof?: unknown } | null;
  if (!answer || answer.from !== from || answer.to !== to) return fail('BadResponse');
  const proof = decodeProof(answer.proof);
  return proof ? ok(proof) : fail('BadResponse');
}
