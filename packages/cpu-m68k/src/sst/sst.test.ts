import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listSstFiles, runSstFile, SstRunner } from './runner.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const directory = resolve(repoRoot, '..', 'shared', 'sst-m68000', 'v1');
const present = existsSync(directory);

if (!present) {
  console.warn(`SST suite skipped: ${directory} not found (it lives in shared/ beside the repository)`);
}

describe.skipIf(!present)('SingleStepTests/m68000', () => {
  const runner = new SstRunner();
  const files = present ? listSstFiles(directory) : [];

  it('has the 127 instruction files', () => {
    expect(files).toHaveLength(127);
  });

  for (const file of files) {
    const name = file.replace(/^.*\//, '').replace(/\.json\.bin$/, '');
    it(`${name}: state and cycles match`, () => {
      const result = runSstFile(file, runner);
      const firstFailures = result.failures.slice(0, 3).map((f) => `${f.name}: ${f.differences.join('; ')}`);
      if (result.verified) {
        expect(firstFailures).toEqual([]);
        expect(result.passed).toBe(result.total);
      }
      // Cycle counts are not part of pass/fail, but every file matches today: keep it so.
      expect(result.cyclesMatching).toBe(result.total);
    });
  }
});
