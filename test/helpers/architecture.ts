import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';

/**
 * The dependency rules of docs/architecture.md, checked over import specifiers:
 * protocol ← node, protocol ← cli; node and cli never import each other; nothing imports
 * test/; node/ and cli/ reach protocol/ only through protocol/index.ts; protocol/ is pure
 * (no I/O, no process, no console, no clock) and each crypto library has one owner file.
 */

export interface SourceFile {
  /** repository-relative path with forward slashes, e.g. `protocol/ids.ts` */
  path: string;
  source: string;
}

const TOP = ['protocol', 'node', 'cli', 'test'] as const;
type Top = (typeof TOP)[number];

/** bare packages protocol/ may use, and the one file allowed to import each */
const PROTOCOL_PACKAGES: Record<string, string> = {
  zod: '*',
  'libsodium-wrappers': 'protocol/crypto/sodium.ts',
  'node:crypto': 'protocol/crypto/native.ts',
  canonicalize: 'protocol/crypto/canonical.ts',
  ulid: 'protocol/ids.ts',
  'structured-headers': 'protocol/http-signature.ts',
};

/** crypto libraries: outside test/, only their owner file may import them */
const CRYPTO_OWNERS: Record<string, string> = {
  'libsodium-wrappers': 'protocol/crypto/sodium.ts',
  '@noble/ed25519': '(tests only)',
  'node:crypto': 'protocol/crypto/native.ts',
  crypto: 'protocol/crypto/native.ts',
};

const IMPORT_RE = /(?:^|[^\w.$])(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"]([^'"]+)['"]|(?:^|[^\w.$])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^\w.$])require\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function importsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec) out.push(spec);
  }
  return out;
}

function topOf(path: string): Top | null {
  const first = path.split('/')[0];
  return (TOP as readonly string[]).includes(first ?? '') ? (first as Top) : null;
}

const isTestFile = (path: string) => path.startsWith('test/') || path.endsWith('.test.ts');

export function checkArchitecture(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const from = topOf(file.path);
    if (!from) continue;
    for (const spec of importsOf(file.source)) {
      const where = `${file.path} imports '${spec}'`;
      if (spec.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(file.path), spec));
        const to = topOf(target);
        if (to === 'test' && from !== 'test') problems.push(`${where}: nothing imports test/`);
        if (from === 'protocol' && to !== 'protocol') problems.push(`${where}: protocol/ depends on nothing else in the repository`);
        if ((from === 'node' && to === 'cli') || (from === 'cli' && to === 'node')) problems.push(`${where}: node/ and cli/ never import each other`);
        if (file.path.startsWith('node/web/') && to === 'node' && !target.startsWith('node/web/')) problems.push(`${where}: the web interface reaches the node only through the local API`);
        if ((from === 'node' || from === 'cli') && to === 'protocol' && target !== 'protocol/index.js') problems.push(`${where}: node/ and cli/ import protocol/ only through protocol/index.ts`);
        continue;
      }
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
      if (!isTestFile(file.path) && pkg in CRYPTO_OWNERS && CRYPTO_OWNERS[pkg] !== file.path) {
        problems.push(`${where}: only ${CRYPTO_OWNERS[pkg]} may import ${pkg}`);
      }
      if (from === 'protocol' && !isTestFile(file.path)) {
        const owner = PROTOCOL_PACKAGES[pkg];
        if (owner === undefined) problems.push(`${where}: protocol/ may use only ${Object.keys(PROTOCOL_PACKAGES).join(', ')}`);
        else if (owner !== '*' && owner !== file.path) problems.push(`${where}: only ${owner} may import ${pkg}`);
      }
    }
    if (from === 'protocol' && !isTestFile(file.path)) {
      const code = file.source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const [re, what] of [
        [/\bprocess\./, 'process'],
        [/\bconsole\./, 'console'],
        [/\bDate\.now\s*\(/, 'the system clock (take a Clock or a time argument)'],
        [/\bnew Date\s*\(\s*\)/, 'the system clock (take a Clock or a time argument)'],
        [/(?<![.\w])fetch\s*\(/, 'the network (fetch is injected)'],
      ] as const) {
        if (re.test(code)) problems.push(`${file.path} uses ${what}: protocol/ is pure`);
      }
    }
  }
  return problems;
}

/** Every .ts and .tsx file under the four top-level folders of the repository at `root`. */
export function repositoryFiles(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) files.push({ path: relative(root, full).split('\\').join('/'), source: readFileSync(full, 'utf8') });
    }
  };
  for (const top of TOP) {
    try {
      walk(join(root, top));
    } catch {
      // a folder that does not exist yet has nothing to check
    }
  }
  return files;
}
