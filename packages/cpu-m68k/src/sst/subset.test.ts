import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseSstFile } from './format.js';
import { SUBSET_DIRECTORY } from './locate.js';
import { listSstFiles, sstFileName } from './runner.js';
import { cutSubset, isAddressErrorCase } from './subset.js';

const read = (name: string): Uint8Array => new Uint8Array(gunzipSync(readFileSync(join(SUBSET_DIRECTORY, `${name}.json.bin.gz`))));

describe('cutSubset', () => {
  const source = read('MOVE.l');
  const tests = parseSstFile(source);

  it('copies the chosen records unchanged, in file order, with the address-error quota kept apart', () => {
    const cut = parseSstFile(cutSubset(source, { addressErrors: 10, total: 30 }));
    expect(cut).toHaveLength(30);
    expect(cut.filter(isAddressErrorCase)).toHaveLength(10);
    const byName = new Map(tests.map((t, i) => [t.name, i]));
    const positions = cut.map((t) => byName.get(t.name) ?? -1);
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
    for (const t of cut) expect(t).toEqual(tests[byName.get(t.name)!]);
  });

  it('keeps every record when asked for more than there are, and is deterministic', () => {
    expect(cutSubset(source, { addressErrors: 1000, total: 1000 })).toEqual(source);
    expect(cutSubset(source, { addressErrors: 7, total: 19 })).toEqual(cutSubset(source, { addressErrors: 7, total: 19 }));
  });
});

describe('the committed subset', () => {
  it('keeps each file\'s address-error cases represented: 100 of them wherever the full file has 100 or more', () => {
    // From the full set: the files whose instruction can take an address error, and how many it has.
    const fewer: Record<string, number> = { LSL: 94 };
    const withErrors = listSstFiles(SUBSET_DIRECTORY).filter((f) => parseSstFile(read(sstFileName(f))).some(isAddressErrorCase));
    expect(withErrors).toHaveLength(63);
    for (const file of withErrors) {
      const name = sstFileName(file);
      const n = parseSstFile(read(name)).filter(isAddressErrorCase).length;
      expect(n, name).toBe(name === 'LSL.w' ? fewer.LSL : 100);
    }
  });
});
