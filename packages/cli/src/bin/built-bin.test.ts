import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The installed command: the bin over the compiled dist/ and the shipped experiments/ (built by `pnpm build`). */
const bin = fileURLToPath(new URL('../../bin/pagelab.js', import.meta.url));
const dist = fileURLToPath(new URL('../../dist/bin/pagelab.js', import.meta.url));
/** A student's project, outside the repository. */
const project = mkdtempSync(join(tmpdir(), 'pagelab-student-'));
const pagelab = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: project, encoding: 'utf8', timeout: 120_000 });

/** A small I/O strategy in plain JavaScript: the shipped example part (pin the buffer for the transfer, as `pin` does), under the student's name. */
const example = fileURLToPath(new URL('../../../../docs/experiments/parts/pin-for-transfer.mjs', import.meta.url));
writeFileSync(join(project, 'my.mjs'), readFileSync(example, 'utf8').replace("name: 'pin-for-transfer'", "name: 'my-strategy'"));

describe('the built pagelab, run from a project outside the repository', () => {
  it('is built (pnpm build)', () => {
    expect(existsSync(dist), `${dist} is missing: run pnpm build`).toBe(true);
  });

  it('compare dma-vs-replacement --part io-strategy=./my.mjs --io hybrid shows both rows, the part by its own name', () => {
    const r = pagelab('compare', 'dma-vs-replacement', '--part', 'io-strategy=./my.mjs', '--io', 'hybrid');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('scenario: DMA versus global replacement');
    const header = lines[2]!.split(/ {2,}/);
    const corruptions = header.indexOf('corruptions');
    expect(corruptions).toBeGreaterThan(0);
    const rows = lines.slice(4).filter((l) => l.length > 0).map((l) => l.split(/ {2,}/));
    expect(rows.map((row) => row[0])).toEqual(['my-strategy / hardware', 'hybrid / hardware']);
    // Pinning for the transfer keeps DMA out of reused frames: no corruption, like hybrid.
    expect(rows.map((row) => row[corruptions])).toEqual(['0', '0']);
  });

  it('lists and runs the shipped traces by name', () => {
    expect(pagelab('trace', '--list').stdout).toMatch(/^belady +Belady's anomaly.*\nsort +sort\.elf/);
    const r = pagelab('trace', 'belady', '--policy', 'fifo', '--frames', '3,4');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\nfifo +9 +10\n$/);
  });
});
