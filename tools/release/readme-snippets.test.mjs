import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale } from '../launch/build-if-stale.mjs';
import { codeSnippets, makeConsumerProject, packageDirs, readmes } from './readme-snippets.mjs';

// Every ts/js example in the READMEs must compile where users put it: a project made by
// TypeScript 5.9's `tsc --init` (module nodenext, verbatimModuleSyntax, isolatedModules,
// strict, exactOptionalPropertyTypes...) and the same with moduleResolution bundler, against
// the built packages. Two deliberate additions to the defaults: `types: ["node"]` (examples
// use Node's fs) and checkJs (JavaScript examples are checked too).
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const project = mkdtempSync(join(tmpdir(), 'pagelab-readme-snippets-'));
const files = new Map(); // snippet file -> { readme, line }

beforeAll(() => {
  buildIfStale(root, packageDirs(root), 'release test'); // a no-op under pnpm test, which builds first
  makeConsumerProject(root, project);
  mkdirSync(join(project, 'snippets'));
  for (const [label, path] of readmes(root)) {
    codeSnippets(readFileSync(path, 'utf8')).forEach((snippet, i) => {
      const file = `snippets/${label}-${i + 1}.${snippet.language}`;
      writeFileSync(join(project, file), snippet.code);
      files.set(file, { readme: path.slice(root.length + 1), line: snippet.line });
    });
  }
  const common = { noEmit: true, types: ['node'], allowJs: true, checkJs: true };
  writeFileSync(join(project, 'tsconfig.nodenext.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: common, include: ['snippets'] }));
  writeFileSync(
    join(project, 'tsconfig.bundler.json'),
    JSON.stringify({ extends: './tsconfig.json', compilerOptions: { ...common, module: 'preserve', moduleResolution: 'bundler' }, include: ['snippets'] }),
  );
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

/** tsc's diagnostics, each pointed back at the README line it came from. */
function typecheck(config) {
  const run = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config, '--pretty', 'false'], { cwd: project, encoding: 'utf8' });
  if (run.error) throw run.error;
  return run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const at = /^(snippets\/[^(]+)\((\d+),(\d+)\): (.*)$/.exec(line);
      const source = at && files.get(at[1]);
      return source ? `${source.readme}:${source.line + Number(at[2]) - 1}:${at[3]}: ${at[4]}` : line;
    });
}

describe('README examples', () => {
  it('there are examples to check, in the package READMEs', () => {
    expect(files.size).toBeGreaterThanOrEqual(8);
  });

  it('compile under tsc --init defaults (module nodenext) against the built packages', () => {
    expect(typecheck('tsconfig.nodenext.json')).toEqual([]);
  }, 120_000);

  it('compile under moduleResolution bundler against the built packages', () => {
    expect(typecheck('tsconfig.bundler.json')).toEqual([]);
  }, 120_000);
});
