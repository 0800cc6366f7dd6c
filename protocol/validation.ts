import type { z } from 'zod';
import { type FieldIssue, type Result, fail, ok } from './errors.js';

/**
 * Turns zod issues into field issues that name the path and the kind of problem, and never
 * the value: inputs are special-category personal data and must not be echoed into logs or
 * error answers. zod's own messages are dropped on purpose (some quote the input).
 */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldIssue[] {
  return issues.slice(0, 50).map((issue) => ({
    path: formatPath(prefix, issue.path),
    problem: issue.code === 'invalid_union' ? 'invalid_value' : issue.code,
  }));
}

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Parses untrusted input with a schema; a failure is `SchemaViolation` with field paths only. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): Result<z.output<S>, 'SchemaViolation'> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return fail('SchemaViolation', toFieldIssues(parsed.error.issues, prefix));
}

/**
 * Paths of object keys present in `raw` but absent from `parsed`: what a zod object schema
 * stripped. A sender must not sign, and a receiver on the same minor version must not accept,
 * a key the schema does not know (it would travel signed, outside any consent's field list).
 */
export function strippedKeys(raw: unknown, parsed: unknown, prefix = ''): FieldIssue[] {
  const out: FieldIssue[] = [];
  const walk = (r: unknown, p: unknown, path: string) => {
    if (out.length >= 50) return;
    if (Array.isArray(r) && Array.isArray(p)) {
      r.forEach((item, i) => walk(item, p[i], `${path}[${i}]`));
      return;
    }
    if (r === null || p === null || typeof r !== 'object' || typeof p !== 'object' || Array.isArray(r) || Array.isArray(p)) return;
    const parsedObject = p as Record<string, unknown>;
    let unknown = false;
    for (const [key, value] of Object.entries(r)) {
      if (!Object.hasOwn(parsedObject, key)) unknown = true;
      else walk(value, parsedObject[key], path === '' ? key : `${path}.${key}`);
    }
    // the path of the object that holds the unknown key; the key itself may be personal data
    if (unknown) out.push({ path: path === '' ? '(root)' : path, problem: 'unrecognized_keys' });
  };
  walk(raw, parsed, prefix);
  return out;
}

/** JSON.parse that returns undefined instead of throwing (bad input is not an exception). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
