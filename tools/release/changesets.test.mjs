import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Proves the release tooling on a copy of the workspace's shape: `changeset version` works
// offline and bumps only the package named in the changeset plus the packages that depend on it.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const changesetBin = join(repoRoot, 'node_modules', '.bin', 'changeset');
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-changesets-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeJson(path, value) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

const versionOf = (name) => JSON.parse(readFileSync(join(scratch, 'packages', name, 'package.json'), 'utf8')).version;

describe('changesets', () => {
  it('bumps the changed package and its dependents only, offline', () => {
    writeJson(join(scratch, 'package.json'), { name: 'root', private: true });
    writeFileSync(join(scratch, 'pnpm-workspace.yaml'), 'packages:\n  - "packages/*"\n');
    cpSync(join(repoRoot, '.changeset', 'config.json'), join(scratch, '.changeset', 'config.json'));
    writeJson(join(scratch, 'packages/contracts/package.json'), { name: '@pagelab/contracts', version: '1.0.0' });
    writeJson(join(scratch, 'packages/mmu/package.json'), {
      name: '@pagelab/mmu',
      version: '1.0.0',
      dependencies: { '@pagelab/contracts': 'workspace:^' },
    });
    writeJson(join(scratch, 'packages/dma/package.json'), { name: '@pagelab/dma', version: '1.0.0' });
    writeFileSync(join(scratch, '.changeset', 'grow-contract.md'), '---\n"@pagelab/contracts": minor\n---\n\nA new field.\n');

    execFileSync(changesetBin, ['version'], { cwd: scratch, env: { ...process.env, npm_config_offline: 'true' }, stdio: 'pipe' });

    expect(versionOf('contracts')).toBe('1.1.0');
    expect(versionOf('mmu')).toBe('1.0.1');
    expect(versionOf('dma')).toBe('1.0.0');
    expect(readFileSync(join(scratch, 'packages/contracts/CHANGELOG.md'), 'utf8')).toContain('A new field.');
  });
});
