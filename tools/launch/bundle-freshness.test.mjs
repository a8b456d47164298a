import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freshBundle } from '../../packages/cpu-m68k/bin/fresh-bundle.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An entry module and, unless `bundleAt` is null, a bundle, written at the given seconds. */
function build(entryAt, bundleAt) {
  dir = mkdtempSync(join(tmpdir(), 'pagelab-bundle-'));
  const entry = join(dir, 'bin.js');
  const bundle = join(dir, 'bin.bundle.js');
  writeFileSync(entry, '');
  utimesSync(entry, entryAt, entryAt);
  if (bundleAt !== null) {
    writeFileSync(bundle, '');
    utimesSync(bundle, bundleAt, bundleAt);
  }
  return [pathToFileURL(entry), pathToFileURL(bundle)];
}

describe("m68k-run's choice of its one-file bundle", () => {
  it('takes a bundle made after its modules, or written by the same install a moment before them', () => {
    expect(freshBundle(...build(1000, 1005))).toBe(true);
    expect(freshBundle(...build(1000, 1000))).toBe(true);
    expect(freshBundle(...build(1000.002, 1000))).toBe(true);
  });

  it('runs the modules when the bundle is missing or from an earlier build', () => {
    expect(freshBundle(...build(1000, null))).toBe(false);
    expect(freshBundle(...build(1010, 1000))).toBe(false);
  });
});
