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

function check(value: unknown, path: string, depth: number): void {
  if (depth > 64) throw new CanonicalizationError(`${path}: nested too deeply`);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') {
    if (!value.isWellFormed()) throw new CanonicalizationError(`${path}: lone surrogate in string`);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalizationError(`${path}: number is not finite`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => check(item, `${path}[${i}]`, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new CanonicalizationError(`${path}: not a plain object`);
    for (const [key, item] of Object.entries(value)) {
      if (!key.isWellFormed()) throw new CanonicalizationError(`${path}: lone surrogate in key`);
      if (item !== undefined) check(item, `${path}.${key}`, depth + 1);
    }
    return;
  }
  throw new CanonicalizationError(`${path}: ${typeof value} is not JSON`);
}

export function canonicalJson(value: unknown): string {
  check(value, '(root)', 0);
  const text = canonicalize(value);
  if (text === undefined) throw new CanonicalizationError('(root): not JSON');
  return text;
}

export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}
