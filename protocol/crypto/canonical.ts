import canonicalize from 'canonicalize';

/**
 * The one rule for canonical bytes of anything signed that is not a raw inner message
 * (consent records, prekey and node-key certificates, receipts, attachment manifests):
 * RFC 8785 JSON Canonicalization Scheme (JCS), UTF-8 encoded.
 *
 * JCS input must be I-JSON (RFC 7493): no lone surrogates, finite numbers (every IEEE 754
 * double, serialised as ECMAScript does: RFC 8785 section 3.2.2.3), plain objects.
 * `canonicalBytes` refuses anything else with a `CanonicalizationError` instead of producing
 * bytes two implementations might disagree on. Integers that must be exact stay below 2^53
 * through the schemas (timestamps, sizes, versions), not through this rule.
 */
export class CanonicalizationError extends Error {
  override name = 'CanonicalizationError' as const;
}

const encoder = new TextEncoder();

/** The path of the value being checked, built only when something is wrong (checks run on every signature). */
const at = (path: readonly (string | number)[]): string => path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${k}`), '(root)');

function check(value: unknown, path: (string | number)[], depth: number): void {
  if (depth > 64) throw new CanonicalizationError(`${at(path)}: nested too deeply`);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') {
    if (!value.isWellFormed()) throw new CanonicalizationError(`${at(path)}: lone surrogate in string`);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalizationError(`${at(path)}: number is not finite`);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      check(value[i], path, depth + 1);
      path.pop();
    }
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new CanonicalizationError(`${at(path)}: not a plain object`);
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (!key.isWellFormed()) throw new CanonicalizationError(`${at(path)}: lone surrogate in key`);
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      path.push(key);
      check(item, path, depth + 1);
      path.pop();
    }
    return;
  }
  throw new CanonicalizationError(`${at(path)}: ${typeof value} is not JSON`);
}

export function canonicalJson(value: unknown): string {
  check(value, [], 0);
  const text = canonicalize(value);
  if (text === undefined) throw new CanonicalizationError('(root): not JSON');
  return text;
}

export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}

/** Keys in UTF-16 code unit order at every level (what RFC 8785 section 3.2.3 requires). */
function sortedEverywhere(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(sortedEverywhere);
  let previous: string | null = null;
  for (const key in value) {
    if (previous !== null && !(previous < key)) return false;
    previous = key;
    if (!sortedEverywhere((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

// an escaped lone surrogate (`\udXXX` preceded by an even number of backslashes): JSON.stringify
// writes one only for a lone surrogate, which I-JSON forbids
const LONE_SURROGATE_ESCAPE = /(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/i;

/**
 * Whether `text` is exactly the RFC 8785 form of `parsed` (= JSON.parse(text)), checked without
 * re-serialising key by key: JSON.stringify gives back the very text only if there was no
 * whitespace, no duplicate key, and every string and number in its ECMAScript form; the keys
 * must be sorted at every level; and no string may hold a lone surrogate. Used on bytes received
 * (thousands of directory entries), where building the canonical text again is the main cost.
 */
export function isCanonicalText(text: string, parsed: unknown): boolean {
  if (JSON.stringify(parsed) === text && !LONE_SURROGATE_ESCAPE.test(text) && sortedEverywhere(parsed)) return true;
  // the fast path cannot tell for integer-like keys (JavaScript orders them first): ask the long way
  try {
    return canonicalJson(parsed) === text;
  } catch {
    return false;
  }
}
