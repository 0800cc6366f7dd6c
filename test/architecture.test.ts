import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkArchitecture, importsOf, repositoryFiles } from './helpers/architecture.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('architecture: the dependency direction holds in this repository', () => {
  it('has no forbidden import anywhere', () => {
    const files = repositoryFiles(root);
    expect(files.filter((f) => f.path.startsWith('protocol/')).length).toBeGreaterThan(10);
    expect(checkArchitecture(files)).toEqual([]);
  });
});

describe('architecture: the check catches each kind of violation', () => {
  const one = (path: string, source: string) => checkArchitecture([{ path, source }]);

  it('reads static, type-only, re-export, side-effect and dynamic imports', () => {
    const src = `import a from 'x';\nimport type { B } from "../y.js";\nexport * from './z.js';\nimport 'side';\nconst m = await import('./lazy.js');\nexport { q } from './q.js';`;
    expect(importsOf(src)).toEqual(['x', '../y.js', './z.js', 'side', './lazy.js', './q.js']);
  });

  it('protocol/ importing node/ or cli/', () => {
    expect(one('protocol/ids.ts', `import { x } from '../node/db/client.js';`)).toHaveLength(1);
    expect(one('protocol/crypto/keys.ts', `import { y } from '../../cli/main.js';`)).toHaveLength(1);
  });

  it('node/ and cli/ importing each other', () => {
    expect(one('node/app.ts', `import { run } from '../cli/main.js';`)).toHaveLength(1);
    expect(one('cli/commands/refer.ts', `import { createNode } from '../../node/node.js';`)).toHaveLength(1);
  });

  it('the web interface reaching into the node past the local API', () => {
    expect(one('node/web/pages/case.tsx', "import { createCases } from '../../case/cases.js';")).toHaveLength(1);
    expect(one('node/web/pages/case.tsx', "import { render } from '../render.js';")).toEqual([]);
    expect(one('node/node.ts', "import { buildWebApp } from './web/web-app.js';")).toEqual([]);
  });

  it('anything outside test/ importing test/', () => {
    expect(one('node/node.ts', `import { T0 } from '../test/helpers/keys.js';`)).toHaveLength(1);
    expect(one('protocol/ids.ts', `import { T0 } from '../test/helpers/keys.js';`).length).toBeGreaterThan(0);
    expect(one('test/protocol/a.test.ts', `import { T0 } from '../helpers/keys.js';`)).toEqual([]);
  });

  it('node/ reaching into protocol/ past its index', () => {
    expect(one('node/app.ts', `import { seal } from '../protocol/envelope/seal.js';`)).toHaveLength(1);
    expect(one('node/app.ts', `import { seal } from '../protocol/index.js';`)).toEqual([]);
  });

  it('protocol/ using I/O, process, console, the clock or a package outside its list', () => {
    expect(one('protocol/ids.ts', `import { readFileSync } from 'node:fs';`)).toHaveLength(1);
    expect(one('protocol/ids.ts', `import { Hono } from 'hono';`)).toHaveLength(1);
    expect(one('protocol/ids.ts', `const home = process.env.HOME;`)).toHaveLength(1);
    expect(one('protocol/ids.ts', `console.log('x');`)).toHaveLength(1);
    expect(one('protocol/ids.ts', `const t = Date.now();`)).toHaveLength(1);
  });

  it('a crypto library imported outside its owner file', () => {
    expect(one('protocol/envelope/seal.ts', `import sodium from 'libsodium-wrappers';`).length).toBeGreaterThan(0);
    expect(one('node/app.ts', `import { sign } from 'node:crypto';`)).toHaveLength(1);
    expect(one('cli/main.ts', `import * as ed from '@noble/ed25519';`)).toHaveLength(1);
    expect(one('test/conformance/x.test.ts', `import sodium from 'libsodium-wrappers';`)).toEqual([]);
  });
});
