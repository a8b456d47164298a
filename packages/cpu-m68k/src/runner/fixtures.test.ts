import { describe, expect, it } from 'vitest';
import { loadElfImage } from '../elf/elf-image.js';
import { runProgram } from './run-program.js';
import { fixturePrograms, fixtureSources } from './__fixtures__/fixture-programs.js';

describe('the fixtures run as qemu-m68k -cpu m68000 ran them', () => {
  const programs = fixturePrograms();

  it('has a built program for every C source, two of them reading stdin', () => {
    expect(programs.map((p) => p.name).sort()).toEqual(fixtureSources());
    expect(programs.length).toBeGreaterThanOrEqual(9);
    expect(programs.filter((p) => p.stdin.length > 0).length).toBeGreaterThanOrEqual(2);
  });

  for (const model of ['m68000', 'm68010-hidden'] as const) {
    for (const p of programs) {
      it(`${p.name} on ${model}: same bytes on stdout, same exit status`, () => {
        const result = runProgram(loadElfImage(p.elf, p.name), { model, stdin: p.stdin, programName: p.name });
        expect(result.error).toBeNull();
        expect(Buffer.from(result.stdout).toString('latin1')).toBe(Buffer.from(p.expected).toString('latin1'));
        expect(result.status).toBe(p.status);
        expect(result.instructions).toBeGreaterThan(1000);
      });
    }
  }
});
