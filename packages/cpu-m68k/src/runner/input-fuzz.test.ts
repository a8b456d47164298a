/**
 * `m68k-run` on mutants of the shipped fixtures (bit flips, truncations): each runs to an
 * exit, dies with one `m68k-run: error:` line (status 1), or is refused with one (status 2).
 * Never a stack trace; never a hang (an instruction bound). Fixed seed: failures reproduce.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const out = fileURLToPath(new URL('../../fixtures/out/', import.meta.url));
const elves = readdirSync(out).filter((f) => f.endsWith('.elf'));

describe('m68k-run on ELF mutants', () => {
  it('has the fixtures to mutate', () => {
    expect(elves.length).toBeGreaterThanOrEqual(10);
  });

  it('runs each, or reports it in one typed line', () => {
    const mutant = fc.record({
      program: fc.integer({ min: 0, max: elves.length - 1 }),
      flips: fc.array(fc.tuple(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.nat()), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 6 }),
      truncateTo: fc.option(fc.oneof(fc.integer({ min: 0, max: 512 }), fc.nat()), { freq: 3 }),
    });
    fc.assert(
      fc.property(mutant, ({ program, flips, truncateTo }) => {
        const bytes = new Uint8Array(readFileSync(`${out}${elves[program]}`));
        for (const [offset, bit] of flips) bytes[offset % bytes.length]! ^= 1 << bit;
        const file = truncateTo === null ? bytes : bytes.subarray(0, truncateTo % (bytes.length + 1));
        let stderr = '';
        const status = runCli(['mutant.elf', '--max-instructions', '200000'], {
          readFile: () => file,
          writeStdout: () => undefined,
          writeStderr: (text) => void (stderr += text),
          now: () => 0,
        });
        const errors = stderr.split('\n').filter((l) => l.startsWith('m68k-run: error: '));
        if (status === 2) expect(stderr).toMatch(/^m68k-run: error: mutant\.elf: [^\n]+\n$/);
        else if (errors.length > 0) expect(errors).toHaveLength(1);
        expect(stderr).not.toMatch(/\n\s+at /);
      }),
      { seed: 0x68000, numRuns: 150 },
    );
  });
});
