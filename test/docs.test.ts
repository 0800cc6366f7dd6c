import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, MESSAGE_TYPES, SIGNATURE_DOMAINS } from '../protocol/index.js';
import { repositoryFiles } from './helpers/architecture.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('docs stay true to the code', () => {
  it('docs/architecture.md has a line for every source file', () => {
    const doc = read('docs/architecture.md');
    const missing = repositoryFiles(root)
      .map((f) => f.path)
      .filter((path) => !doc.includes(`\`${path}\``));
    expect(missing).toEqual([]);
  });

  it('docs/architecture.md lists no file that does not exist', () => {
    const doc = read('docs/architecture.md');
    const listed = [...doc.matchAll(/^\| `((?:protocol|node|cli|test)\/[^`]+)` \|/gm)].map((m) => m[1]!);
    const existing = new Set(repositoryFiles(root).map((f) => f.path));
    expect(listed.filter((path) => !existing.has(path) && !path.endsWith('.md') && !path.endsWith('/'))).toEqual([]);
  });

  it('docs/protocol.md has every error code with its HTTP status and peer visibility', () => {
    const doc = read('docs/protocol.md');
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(doc, code).toContain(`| \`${code}\` | ${info.status} | ${info.peerVisible ? 'yes' : 'no'} | ${info.text} |`);
    }
    const rows = [...doc.matchAll(/^\| `([A-Za-z]+)` \| \d{3} \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('docs/protocol.md has every message type with its personal-data flag', () => {
    const doc = read('docs/protocol.md');
    for (const entry of MESSAGE_TYPES) {
      expect(doc, entry.typ).toContain(`| \`${entry.typ}\` | ${entry.personalData ? 'yes' : 'no'} |`);
    }
  });

  it('docs/protocol.md has every signature domain prefix', () => {
    const doc = read('docs/protocol.md');
    for (const [name, prefix] of Object.entries(SIGNATURE_DOMAINS)) {
      expect(doc, name).toContain(`| ${name} | \`${prefix.replace('\0', '\\0')}\` |`);
    }
  });
});
