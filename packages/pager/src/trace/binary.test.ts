import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPagelabError } from '@pagelab/contracts';
import { runPagerSim } from '../cli/pager-sim.js';
import { replacementPolicyNames } from '../policies/registry.js';
import { BINARY_TRACE_HEADER_BYTES, BINARY_TRACE_MAGIC, BinaryTraceError } from './binary.js';
import { convertTraceToBinary } from './convert.js';
import { simulateTraceFile } from './simulate.js';
import { faultCurveOfTraceFile } from './stack-curve.js';

const directory = mkdtempSync(join(tmpdir(), 'pager-binary-'));
let files = 0;
function file(contents: string | Uint8Array, name = `t${files++}`): string {
  const path = join(directory, name);
  writeFileSync(path, contents);
  return path;
}

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = runPagerSim(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

/** A lackey trace with every kind of line, straddling accesses, headers and a sparse, 64-bit address space. */
function lackeyText(lines: number): string {
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const out = ['==7== Lackey, an example Valgrind tool', '==7== Command: gzip'];
  for (let i = 0; i < lines; i++) {
    const r = next() % 100;
    const base = r < 60 ? 0x401000 + (next() % 0x6000) : r < 85 ? 0x1ffefff000 + (next() % 0x3000) : 0x4c00000 + (next() % 0x40000);
    const kind = r < 60 ? 'I ' : [' L', ' S', ' M'][next() % 3];
    out.push(`${kind} ${base.toString(16).padStart(8, '0')},${[1, 2, 4, 8, 16][next() % 5]}`);
  }
  return out.join('\n') + '\n';
}

const lackey = file(lackeyText(20000), 'small.lackey');
const pages = file('# textbook\n7\n0\n1\n2\n0\n3\n0\n4\n2\n3\n0\n3\n2\n1\n2\n0\n1\n7\n0\n1\n', 'textbook.txt');

describe('binary traces', () => {
  it('give every policy the same report as the text trace they were converted from', () => {
    const binary = join(directory, 'small.bin');
    const conversion = convertTraceToBinary(lackey, binary, { format: 'lackey', pageSize: 4096 });
    expect(conversion.bytes).toBe(readFileSync(binary).length);
    expect(conversion.bytes).toBe(BINARY_TRACE_HEADER_BYTES + 4 * conversion.references + 8 * conversion.distinctPages);
    for (const policy of replacementPolicyNames) {
      for (const frames of [1, 7, 64]) {
        const fromText = simulateTraceFile(lackey, { policy, frames, format: 'lackey' });
        // The magic wins over the format given.
        expect(simulateTraceFile(binary, { policy, frames, format: 'pages' }), `${policy} ${frames}`).toEqual(fromText);
      }
    }
    expect(simulateTraceFile(binary, { policy: 'lru', frames: 8 }).writebacks).toBeGreaterThan(0);
    expect(faultCurveOfTraceFile(binary, { policy: 'opt', maxFrames: 40 })).toEqual(faultCurveOfTraceFile(lackey, { policy: 'opt', maxFrames: 40, format: 'lackey' }));
  });

  it('keep page numbers of a page-number trace, and the oracle counts', () => {
    const binary = join(directory, 'textbook.bin');
    expect(run(pages, '--write-binary', binary).stdout).toBe(`wrote ${binary}: 20 references over 6 distinct pages, 192 bytes (from ${pages}, pages)\n`);
    for (const [policy, misses] of [['fifo', 15], ['lru', 12], ['opt', 9]] as const) {
      const result = simulateTraceFile(binary, { policy, frames: 3 });
      expect([result.misses, result.format, result.distinctPages]).toEqual([misses, 'pages', 6]);
    }
    // Converting the binary trace again gives the same bytes.
    const again = join(directory, 'textbook-again.bin');
    convertTraceToBinary(binary, again, {});
    expect(readFileSync(again)).toEqual(readFileSync(binary));
    // The page table holds the page numbers in order of first use: 7, 0, 1, 2, 3, 4.
    const bytes = readFileSync(binary);
    const table = Array.from({ length: 6 }, (_, i) => Number(bytes.readBigUInt64LE(BINARY_TRACE_HEADER_BYTES + 4 * 20 + 8 * i)));
    expect(table).toEqual([7, 0, 1, 2, 3, 4]);
  });

  it('convert with --skip-bad-lines and report the lines skipped', () => {
    const bad = file('1\nx\n2\n', 'bad.txt');
    const out = join(directory, 'bad.bin');
    expect(run(bad, '--write-binary', out).stderr).toBe(`pager-sim: error: ${bad}:2: expected a page number: "x"\n`);
    expect(existsSync(out)).toBe(false);
    const converted = JSON.parse(run(bad, '--write-binary', out, '--skip-bad-lines', '--json').stdout) as Record<string, unknown>;
    expect([converted.references, converted.badLines]).toEqual([2, 1]);
  });
});

describe('malformed binary traces', () => {
  const good = (() => {
    const path = join(directory, 'good.bin');
    convertTraceToBinary(pages, path, {});
    return readFileSync(path);
  })();
  function variant(change: (bytes: Buffer) => Buffer): string {
    return file(change(Buffer.from(good)));
  }
  function failure(path: string): string {
    try {
      simulateTraceFile(path, { policy: 'fifo', frames: 3 });
    } catch (error) {
      expect(error).toBeInstanceOf(BinaryTraceError);
      expect(isPagelabError(error, 'TRACE_FORMAT')).toBe(true);
      return (error as Error).message;
    }
    throw new Error('expected a BinaryTraceError');
  }

  it('name the file and what is wrong', () => {
    const cases: [string, (b: Buffer) => Buffer, string][] = [
      ['bad magic', (b) => ((b[3] = 0x58), b), 'bad magic: not a pagelab binary trace'],
      ['only the first byte', (b) => b.subarray(0, 1), 'truncated: 1 bytes, shorter than the 8-byte magic'],
      ['a cut header', (b) => b.subarray(0, 40), 'truncated: the header needs 64 bytes, the file has 40'],
      ['version 2', (b) => (b.writeUInt32LE(2, 8), b), 'unsupported version 2 (this pager-sim reads version 1)'],
      ['an unknown source format', (b) => (b.writeUInt32LE(9, 12), b), 'unknown source format code 9 (known: 0 pages, 1 lackey)'],
      ['a page size on a page-number trace', (b) => (b.writeUInt32LE(4096, 16), b), 'bad page size 4096 (0 for a page-number trace, else a power of two up to 2^30)'],
      ['a cut reference', (b) => b.subarray(0, b.length - 2), 'truncated: the header promises 20 references and 6 pages (192 bytes), the file has 190'],
      ['trailing bytes', (b) => Buffer.concat([b, Buffer.from([0, 0, 0])]), '3 bytes of trailing data after the 192 bytes the header promises'],
      ['more pages than references', (b) => (b.writeUInt32LE(21, 20), b), 'bad header: 21 distinct pages but only 20 references'],
      ['a page id out of range', (b) => (b.writeUInt32LE(6 << 1, BINARY_TRACE_HEADER_BYTES + 4 * 5), b), 'reference 5: page id 6 is not below the page count 6'],
      ['a page listed twice', (b) => (b.writeBigUInt64LE(7n, BINARY_TRACE_HEADER_BYTES + 80 + 8), b), 'page table entry 1: page 7 is listed twice'],
    ];
    for (const [what, change, message] of cases) {
      const path = variant(change);
      expect(failure(path), what).toBe(`${path}: ${message}`);
    }
  });

  it('print one error line and exit 2 from pager-sim', () => {
    const path = variant((b) => (b.writeUInt32LE(3, 8), b));
    expect(run(path, '--policy', 'lru', '--frames', '4')).toEqual({
      status: 2,
      stdout: '',
      stderr: `pager-sim: error: ${path}: unsupported version 3 (this pager-sim reads version 1)\n`,
    });
    const empty = file(Uint8Array.from(BINARY_TRACE_MAGIC.slice(0, 5)));
    expect(run(empty, '--policy', 'lru', '--frames', '4').stderr).toBe(`pager-sim: error: ${empty}: truncated: 5 bytes, shorter than the 8-byte magic\n`);
  });
});

describe('pager-sim --write-binary', () => {
  it('refuses simulation options, its own input as output, and an output it cannot write', () => {
    expect(run(pages, '--write-binary', join(directory, 'x.bin'), '--policy', 'lru').stderr).toBe(
      `pager-sim: error: policy: --write-binary only converts the trace; run pager-sim on ${join(directory, 'x.bin')} with --policy to simulate\n`,
    );
    const copy = file(readFileSync(pages));
    expect(run(copy, '--write-binary', copy)).toEqual({ status: 2, stdout: '', stderr: `pager-sim: error: write-binary: ${copy} is the trace being read; write the binary trace to another file\n` });
    expect(readFileSync(copy)).toEqual(readFileSync(pages));
    const nowhere = join(directory, 'no-such-directory', 'out.bin');
    expect(run(pages, '--write-binary', nowhere).stderr).toBe(`pager-sim: error: write-binary: ${nowhere}: cannot be written (ENOENT)\n`);
    expect(run(join(directory, 'missing.txt'), '--write-binary', join(directory, 'y.bin')).stderr).toBe(`pager-sim: error: ${join(directory, 'missing.txt')}: no such file\n`);
  });
});
