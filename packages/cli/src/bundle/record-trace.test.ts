import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateTraceFile } from '@pagelab/kernel';
import { describe, expect, it } from 'vitest';
import { recordPageTrace } from './record-trace.js';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'cpu-m68k', 'fixtures', 'out');
const sort = {
  executable: new Uint8Array(readFileSync(join(fixtures, 'sort.elf'))),
  // What qemu-m68k -cpu m68000 prints for the same ELF.
  expectedOutput: readFileSync(join(fixtures, 'sort.expected'), 'utf8'),
  pageSize: 256,
  header: ['sort.elf'],
};
const scratch = mkdtempSync(join(tmpdir(), 'pagelab-record-'));

describe('recording a compiled program\'s page references on the 68000 core', () => {
  const folded = recordPageTrace(sort);
  const full = recordPageTrace({ ...sort, fold: false });

  it('is deterministic, and folding drops only repeats of the page just referenced', () => {
    expect(recordPageTrace(sort).text).toBe(folded.text);
    expect(full.references).toBe(full.rawReferences);
    expect(folded.rawReferences).toBe(full.rawReferences);
    expect(folded.distinctPages).toBe(full.distinctPages);
    const pages = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map(Number);
    const runs = pages(full.text).filter((p, i, all) => i === 0 || p !== all[i - 1]);
    expect(pages(folded.text)).toEqual(runs);
    // sort.elf's code, data and stack: tens of 256-byte pages, hundreds of thousands of references.
    expect(folded.distinctPages).toBeGreaterThan(10);
    expect(full.rawReferences).toBeGreaterThan(100_000);
  });

  it('leaves every miss count of the policies without clock ticks unchanged', () => {
    const write = (name: string, text: string) => {
      writeFileSync(join(scratch, name), text);
      return join(scratch, name);
    };
    const short = write('folded.trace', folded.text);
    const long = write('full.trace', full.text);
    for (const policy of ['fifo', 'clock', 'lru', 'random', 'opt']) {
      for (const frames of [3, 6, 12]) {
        const a = simulateTraceFile(short, { policy, frames, tickInterval: 0 });
        const b = simulateTraceFile(long, { policy, frames, tickInterval: 0 });
        expect([policy, frames, a.misses, a.evictions]).toEqual([policy, frames, b.misses, b.evictions]);
      }
    }
  });

  it('refuses a run whose output is not the expected one', () => {
    expect(() => recordPageTrace({ ...sort, expectedOutput: 'something else\n' })).toThrow(/^the recorded program did not run correctly \(exit 0, wrong output\)$/);
  });
});
