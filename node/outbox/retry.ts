/**
 * When to try again: exponential backoff with full jitter (a random delay between 0 and
 * min(cap, base * 2^attempt)), never sooner than the peer's Retry-After, and never past the
 * message's own expiry, which is what ends retrying (peers can be offline for days; a policy that
 * gives up after half an hour would lose referrals).
 */
export interface RetryPolicy {
  baseMs: number;
  capMs: number;
}

export function nextAttemptAt(input: {
  policy: RetryPolicy;
  /** attempts made so far, including the one that just failed (≥ 1) */
  attempts: number;
  nowMs: number;
  expiresAtMs: number;
  retryAfterMs: number | null;
  random: () => number;
}): number | 'expired' {
  const exp = Math.min(input.policy.capMs, input.policy.baseMs * 2 ** Math.min(input.attempts - 1, 30));
  const jittered = Math.floor(input.random() * exp);
  const delay = Math.max(jittered, input.retryAfterMs ?? 0);
  const at = input.nowMs + delay;
  if (input.nowMs >= input.expiresAtMs) return 'expired';
  return Math.min(at, input.expiresAtMs);
}
