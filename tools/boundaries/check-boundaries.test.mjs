import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoundaries, importsOf } from './check-boundaries.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = [];

function fakeRepo(files) {
  const root = mkdtempSync(join(tmpdir(), 'pagelab-boundaries-'));
  scratch.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const manifest = (name, deps = {}, devDeps = {}) =>
  JSON.stringify({ name: `@pagelab/${name}`, dependencies: deps, devDependencies: devDeps });

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('package boundaries', () => {
  it('the real repository has no violations', () => {
    expect(checkBoundaries(repoRoot)).toEqual([]);
  });

  it('rejects pager importing frame-table', () => {
    const root = fakeRepo({
      'packages/pager/package.json': manifest('pager', { '@pagelab/contracts': 'workspace:^' }),
      'packages/pager/src/fault.ts': "import type { Mmu } from '@pagelab/contracts';\nimport { FrameTable } from '@pagelab/frame-table';\n",
    });
    const violations = checkBoundaries(root);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/packages\/pager\/src\/fault\.ts:2: imports @pagelab\/frame-table, but pager may import @pagelab\/contracts/);
  });

  it('rejects a forbidden dependency in package.json', () => {
    const root = fakeRepo({
      'packages/dma/package.json': manifest('dma', { '@pagelab/mmu': 'workspace:^' }),
    });
    expect(checkBoundaries(root)).toEqual([
      'packages/dma/package.json: dependencies lists @pagelab/mmu, but dma may depend on @pagelab/contracts',
    ]);
  });

  it('rejects deep imports into another package and relative escapes', () => {
    const root = fakeRepo({
      'packages/kernel/package.json': manifest('kernel'),
      'packages/kernel/src/a.ts': "export { x } from '@pagelab/mmu/src/tlb.js';\nimport '../../mmu/src/tlb.js';\n",
    });
    const violations = checkBoundaries(root);
    expect(violations).toHaveLength(2);
    expect(violations[0]).toMatch(/internal file of @pagelab\/mmu/);
    expect(violations[1]).toMatch(/reaches outside packages\/kernel/);
  });

  it('lets tests use the conformance suites but not run-time code', () => {
    const root = fakeRepo({
      'packages/mmu/package.json': manifest('mmu', {}, { '@pagelab/conformance': 'workspace:^' }),
      'packages/mmu/src/mmu.test.ts': "import { describeMmuConformance } from '@pagelab/conformance';\n",
      'packages/mmu/src/mmu.ts': "const suite = await import('@pagelab/conformance');\n",
    });
    const violations = checkBoundaries(root);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/packages\/mmu\/src\/mmu\.ts:1: imports @pagelab\/conformance/);
  });

  it('rejects a package missing from the rule table', () => {
    const root = fakeRepo({ 'packages/extra/package.json': manifest('extra') });
    expect(checkBoundaries(root)[0]).toMatch(/packages\/extra: not in the import rule table/);
  });

  it('finds static, re-export, side-effect and dynamic imports with their lines', () => {
    const text = "import a from 'x';\nexport * from 'y';\nimport 'z';\nconst m = await import('w');\n";
    expect(importsOf(text)).toEqual([
      { specifier: 'x', line: 1 },
      { specifier: 'y', line: 2 },
      { specifier: 'z', line: 3 },
      { specifier: 'w', line: 4 },
    ]);
  });
});
