/** Test support: the compiled fixtures with qemu's recorded output and exit status. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

/** The compiled fixtures with qemu's recorded output and exit status. */
export function fixturePrograms(): { name: string; elf: Uint8Array; stdin: Uint8Array; expected: Uint8Array; status: number }[] {
  return readdirSync(`${fixtures}out`)
    .filter((f) => f.endsWith('.expected'))
    .map((f) => f.replace(/\.expected$/, ''))
    .map((name) => ({
      name,
      elf: new Uint8Array(readFileSync(`${fixtures}out/${name}.elf`)),
      stdin: existsSync(`${fixtures}input/${name}.txt`) ? new Uint8Array(readFileSync(`${fixtures}input/${name}.txt`)) : new Uint8Array(0),
      expected: new Uint8Array(readFileSync(`${fixtures}out/${name}.expected`)),
      status: Number(readFileSync(`${fixtures}out/${name}.exit`, 'utf8').trim()),
    }));
}

/** The names of the C programs in fixtures/src: every one must have been built, with qemu's output recorded. */
export function fixtureSources(): string[] {
  return readdirSync(`${fixtures}src`)
    .filter((f) => f.endsWith('.c'))
    .map((f) => f.replace(/\.c$/, ''))
    .sort();
}
