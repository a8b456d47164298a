/**
 * All 65,536 opcode words against binutils. It needs `m68k-linux-gnu-objdump` (Debian's
 * binutils-m68k-linux-gnu) and fails, saying so, when it is missing. Each opcode is placed
 * in a 12-byte slot followed by `moveq #1,%d0` words (0x7001), which serve as extension
 * words and, after a shorter instruction, decode as 2-byte instructions, so objdump's linear
 * sweep stays aligned with the slots.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesReader } from './decode.js';
import { disassemble } from './disassemble.js';

const OBJDUMP = 'm68k-linux-gnu-objdump';

/** Fails the test, with what to install, when objdump is missing: a missing oracle is not a pass. */
function requireObjdump(): void {
  try {
    execFileSync(OBJDUMP, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${OBJDUMP} is not installed: this test compares the disassembler with it (apt-get install binutils-m68k-linux-gnu)`);
  }
}

/**
 * Where objdump and a 68000 disagree, by design:
 * - line F: objdump -m68000 still decodes 68881 FPU and 68851 MMU instructions;
 * - 0x4afd: objdump's `swbeg` (an assembler pseudo-instruction for switch tables on other systems);
 * - `subq.b #n,An`: objdump accepts it, the 68000 manual does not (byte operations on An do not exist).
 */
function expectedToDiffer(op: number): boolean {
  if (op >>> 12 === 0xf) return true;
  if (op === 0x4afd) return true;
  return (op & 0xf1f8) === 0x5108;
}

describe('every opcode word against objdump -m68000', () => {
  it('decodes all 65,536 words as objdump does', () => {
    requireObjdump();
    const stride = 12;
    const buf = new Uint8Array(65536 * stride);
    for (let op = 0; op < 65536; op++) {
      const base = op * stride;
      buf[base] = op >> 8;
      buf[base + 1] = op & 0xff;
      for (let k = 2; k < stride; k += 2) {
        buf[base + k] = 0x70;
        buf[base + k + 1] = 0x01;
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'm68k-sweep-'));
    try {
      const file = join(dir, 'all.bin');
      writeFileSync(file, buf);
      const listing = execFileSync(OBJDUMP, ['-D', '-b', 'binary', '-m', 'm68k:68000', file], { maxBuffer: 1 << 30 }).toString();
      const want = new Map<number, string>();
      for (const line of listing.split('\n')) {
        const m = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line);
        if (m === null) continue;
        const address = parseInt(m[1] as string, 16);
        if (address % stride === 0) want.set(address / stride, (m[2] as string).trim());
      }
      const read = bytesReader(buf);
      const mismatches: string[] = [];
      for (let op = 0; op < 65536; op++) {
        if (expectedToDiffer(op)) continue;
        const got = disassemble(read, op * stride, 'mit').text;
        if (got !== want.get(op)) mismatches.push(`${op.toString(16)}: ${got} / objdump: ${want.get(op)}`);
      }
      expect(mismatches.length, mismatches.slice(0, 10).join('\n')).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
