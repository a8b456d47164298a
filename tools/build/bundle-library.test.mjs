import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every workspace package whose exports map loads a bundle made by bundle-library.mjs. */
const bundled = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.exports?.['.']?.import === './dist/index.bundle.js');

const at = (dir, path) => join(root, 'packages', dir, path);

describe('the library bundles the exports maps load', () => {
  it('are what every library package loads, and what its build makes', () => {
    expect(bundled.map((p) => p.dir).sort()).toEqual(['conformance', 'contracts', 'cpu-m68k', 'dma', 'frame-table', 'io-buffers', 'kernel', 'mmu', 'pager', 'report']);
    for (const { dir, manifest } of bundled) {
      expect(manifest.main, dir).toBe('./dist/index.bundle.js');
      expect(manifest.scripts.build, dir).toMatch(/^tsc -p tsconfig\.build\.json && node \.\.\/\.\.\/tools\/build\/bundle-library\.mjs/);
    }
  });

  it('are from the build that wrote the modules (written after them)', () => {
    for (const { dir } of bundled) expect(statSync(at(dir, 'dist/index.bundle.js')).mtimeMs, dir).toBeGreaterThanOrEqual(statSync(at(dir, 'dist/index.js')).mtimeMs);
  });

  it('export exactly what the modules export', async () => {
    for (const { dir } of bundled) {
      const fromBundle = await import(pathToFileURL(at(dir, 'dist/index.bundle.js')).href);
      const fromModules = await import(pathToFileURL(at(dir, 'dist/index.js')).href);
      expect(Object.keys(fromBundle).sort(), dir).toEqual(Object.keys(fromModules).sort());
    }
  });

  it("hold the package's own modules only: other packages stay imports, loaded once per process", () => {
    for (const { dir, manifest } of bundled) {
      const map = JSON.parse(readFileSync(at(dir, 'dist/index.bundle.js.map'), 'utf8'));
      for (const source of map.sources) expect(source, dir).toMatch(/^\.\.\/src\//);
      const text = readFileSync(at(dir, 'dist/index.bundle.js'), 'utf8');
      expect(text, dir).not.toMatch(/\bfrom\s*["']\.{1,2}\//);
      for (const dependency of Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@pagelab/'))) {
        if (text.includes(dependency)) expect(text, `${dir} imports ${dependency}`).toMatch(new RegExp(`from\\s*["']${dependency}["']`));
      }
    }
  });

  it("resolve paths from each module's own URL (the 68000 runtime's directory)", async () => {
    const fromBundle = await import(pathToFileURL(at('cpu-m68k', 'dist/index.bundle.js')).href);
    const fromModules = await import(pathToFileURL(at('cpu-m68k', 'dist/index.js')).href);
    expect(fromBundle.m68kRuntime.directory.href).toBe(fromModules.m68kRuntime.directory.href);
    expect(fileURLToPath(fromBundle.m68kRuntime.directory)).toBe(at('cpu-m68k', 'runtime/'));
  });
});
