import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Protection } from '@pagelab/contracts';
import { copyImage } from './copy-image.js';
import { loadElfImage } from './elf-image.js';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/out/${name}`, import.meta.url))));

describe('copyImage with a compiled fixture', () => {
  it('loads text and data segments with their protections, and zeroes the bss over stale memory', () => {
    const image = loadElfImage(fixture('sort.elf'), 'sort.elf');
    expect(image.entry).toBe(0x1000);
    expect(image.segments.map((s) => s.address)).toEqual([0x1000, 0x2000]);
    const [text, data] = image.segments;
    expect(text?.protection).toBe(Protection.ReadExecute);
    expect(data?.protection).toBe(Protection.ReadWrite);
    expect(image.breakAddress).toBe(0x2000 + (data?.memorySize ?? 0));

    const memory = new Uint8Array(0x10000).fill(0xee);
    copyImage(image, memory);
    // The first instruction is the start-up's `jsr _cstart` (absolute long: 0x4eb9).
    expect((memory[0x1000] ?? 0) * 256 + (memory[0x1001] ?? 0)).toBe(0x4eb9);
    const bss = memory.subarray(0x2000 + (data?.bytes.length ?? 0), image.breakAddress);
    expect(bss.length).toBeGreaterThan(0);
    expect(bss.every((b) => b === 0)).toBe(true);
    expect(memory[image.breakAddress]).toBe(0xee);
  });
});
