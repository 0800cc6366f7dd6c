/**
 * Is `text` exactly what `JSON.stringify(value)` gives, where `value = JSON.parse(text)`?
 * The signed inner message must be in that form: one text, one meaning (no duplicate keys,
 * whitespace, alternative escapes or number spellings that other parsers might read otherwise).
 *
 * Same answer as `JSON.stringify(value) === text`, but it walks the text alongside the parsed
 * value and compares long strings without re-escaping them, so a 1 MiB handover costs a memory
 * comparison instead of a 3.5 ms re-serialisation (docs/adr/0003).
 */
export function isStringifyForm(text: string, value: unknown): boolean {
  let pos = 0;

  const literal = (expected: string): boolean => {
    if (!text.startsWith(expected, pos)) return false;
    pos += expected.length;
    return true;
  };

  const string = (s: string): boolean => {
    // @NOTE fast path: with no quote and no backslash in s, a span of the text equal to s and
    // closed by a quote is the whole literal, unescaped; JSON.parse already refused raw control
    // characters, and a strict UTF-8 decode refused lone surrogates, so it is the stringify form.
    if (s.length > 32 && s.indexOf('"') === -1 && s.indexOf('\\') === -1 && s.isWellFormed()) {
      const end = pos + 1 + s.length;
      if (text.charCodeAt(pos) !== 34 || text.charCodeAt(end) !== 34 || text.slice(pos + 1, end) !== s) return false;
      pos = end + 1;
      return true;
    }
    return literal(JSON.stringify(s));
  };

  const walk = (v: unknown, depth: number): boolean => {
    if (depth > 128) return false;
    if (v === null) return literal('null');
    switch (typeof v) {
      case 'boolean':
        return literal(v ? 'true' : 'false');
      case 'number':
        return literal(JSON.stringify(v));
      case 'string':
        return string(v);
      case 'object': {
        if (Array.isArray(v)) {
          if (!literal('[')) return false;
          for (let i = 0; i < v.length; i++) {
            if ((i > 0 && !literal(',')) || !walk(v[i], depth + 1)) return false;
          }
          return literal(']');
        }
        if (!literal('{')) return false;
        let first = true;
        for (const [key, item] of Object.entries(v)) {
          if ((!first && !literal(',')) || !string(key) || !literal(':') || !walk(item, depth + 1)) return false;
          first = false;
        }
        return literal('}');
      }
      default:
        return false;
    }
  };

  return walk(value, 0) && pos === text.length;
}
