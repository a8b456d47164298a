import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildClosure, builtEntry, stalePackages } from './staleness.mjs';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A workspace: `app` depends on `lib`, which depends on nothing; everything written at `t` seconds. */
function workspace(t) {
  root = mkdtempSync(join(tmpdir(), 'pagelab-staleness-'));
  const write = (path, text) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
    utimesSync(join(root, path), t, t);
  };
  write('tsconfig.base.json', '{}');
  write('packages/lib/package.json', JSON.stringify({ name: '@pagelab/lib' }));
  write('packages/lib/src/index.ts', 'export const x = 1;');
  write('packages/lib/src/index.test.ts', '');
  write('packages/app/package.json', JSON.stringify({ name: '@pagelab/app', dependencies: { '@pagelab/lib': 'workspace:^', other: '^1' } }));
  write('packages/app/src/deep/main.ts', 'export {};');
  return write;
}

describe('stalePackages', () => {
  it('follows workspace dependencies only', () => {
    workspace(1000);
    expect(buildClosure(root, 'app')).toEqual(['app', 'lib']);
  });

  it('calls a package without dist/ stale', () => {
    workspace(1000);
    expect(stalePackages(root, 'app')).toEqual(['app', 'lib']);
  });

  it('calls a package stale when a source file, even a nested one, is newer than its build', () => {
    const write = workspace(1000);
    write('packages/lib/dist/index.js', '');
    write('packages/app/dist/index.js', '');
    expect(stalePackages(root, 'app')).toEqual([]);
    write('packages/app/src/deep/main.ts', 'export const y = 2;');
    utimesSync(join(root, 'packages/app/src/deep/main.ts'), 2000, 2000);
    expect(stalePackages(root, 'app')).toEqual(['app']);
  });

  it('ignores tests, which the build leaves out, and sees the shared tsconfig', () => {
    const write = workspace(1000);
    write('packages/lib/dist/index.js', '');
    utimesSync(join(root, 'packages/lib/src/index.test.ts'), 3000, 3000);
    expect(stalePackages(root, 'lib')).toEqual([]);
    utimesSync(join(root, 'tsconfig.base.json'), 3000, 3000);
    expect(stalePackages(root, 'lib')).toEqual(['lib']);
  });

  it('dates a package by the file its exports map loads, so a build that stopped before its bundle is stale', () => {
    const write = workspace(1000);
    write('packages/lib/package.json', JSON.stringify({ name: '@pagelab/lib', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.bundle.js' } } }));
    write('packages/lib/dist/index.js', '');
    expect(stalePackages(root, 'lib')).toEqual(['lib']);
    expect(builtEntry(join(root, 'packages/lib'))).toBe('./dist/index.bundle.js');
    expect(builtEntry(join(root, 'packages/app'))).toBe(join('dist', 'index.js'));
    write('packages/lib/dist/index.bundle.js', '');
    utimesSync(join(root, 'packages/lib/dist/index.bundle.js'), 2000, 2000);
    expect(stalePackages(root, 'lib')).toEqual([]);
    utimesSync(join(root, 'packages/lib/src/index.ts'), 3000, 3000);
    utimesSync(join(root, 'packages/lib/dist/index.js'), 3000, 3000);
    expect(stalePackages(root, 'lib')).toEqual(['lib']);
  });
});
