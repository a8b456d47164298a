import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { m68kRuntime } from './runtime.js';

const root = fileURLToPath(m68kRuntime.directory);

describe('the shipped 68000 runtime', () => {
  it('names every source in runtime/src, and each exists, with the linker script and the headers', () => {
    expect([...m68kRuntime.sources].sort()).toEqual(readdirSync(`${root}src`).map((f) => `src/${f}`).sort());
    for (const file of [...m68kRuntime.sources, m68kRuntime.linkerScript]) expect(existsSync(`${root}${file}`)).toBe(true);
    expect(readdirSync(`${root}${m68kRuntime.includeDirectory}`)).toEqual(expect.arrayContaining(['stdio.h', 'stdlib.h', 'string.h', 'unistd.h', 'fcntl.h', 'errno.h']));
  });

  it('is in the published package (package.json "files")', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { files: string[] };
    expect(manifest.files).toContain('runtime');
  });
});
