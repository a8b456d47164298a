import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceFormatError } from '@pagelab/contracts';
import { LackeyParser, PageNumberParser, TraceParser } from './formats.js';
import { PageIdTable } from './page-ids.js';
import { streamTraceFile } from './reader.js';
import { ReferenceBuffer } from './reference-buffer.js';
import { simulateTraceFile } from './simulate.js';

const directory = mkdtempSync(join(tmpdir(), 'pager-formats-'));
let files = 0;
function traceFile(text: string): string {
  const path = join(directory, `trace-${files++}.txt`);
  writeFileSync(path, text);
  return path;
}

/** Parses `text` in one go and returns the page numbers and write flags it produced. */
function parse(format: 'pages' | 'lackey', text: string, skipBadLines = false, pageSize = 4096) {
  const ids = new PageIdTable();
  const out = new ReferenceBuffer(4);
  const policy = { skipBadLines, source: 't' };
  const parser: TraceParser =
    format === 'pages' ? new PageNumberParser(ids, out, policy) : new LackeyParser(ids, out, policy, pageSize);
  const bytes = Buffer.from(text, 'latin1');
  parser.parse(bytes, 0, bytes.length);
  const pages = Array.from(out.pages.subarray(0, out.length), (id) => ids.pageOf(id));
  const writes = Array.from(out.flags.subarray(0, out.length), (flag) => flag === 1);
  return { pages, writes, parser };
}

function thrown(action: () => unknown): TraceFormatError {
  try {
    action();
  } catch (error) {
    if (error instanceof TraceFormatError) return error;
    throw error;
  }
  throw new Error('expected a TraceFormatError');
}

describe('page-number traces', () => {
  it('reads one decimal page per line, with blanks, comments, spaces and CRLF', () => {
    expect(parse('pages', '7\n0\r\n  1 \n\n# comment\n9007199254740991\n2').pages).toEqual([7, 0, 1, 2 ** 53 - 1, 2]);
  });
  it('names the line of a malformed entry', () => {
    const error = thrown(() => parse('pages', '1\n2\n3x\n4\n'));
    expect(error.line).toBe(3);
    expect(error.message).toBe('t:3: unexpected text after the page number: "3x"');
    expect(thrown(() => parse('pages', '1\n-2\n')).line).toBe(2);
    expect(thrown(() => parse('pages', '99999999999999999999\n')).message).toMatch(/too large/);
  });
  it('skips and counts malformed lines when asked', () => {
    const { pages, parser } = parse('pages', '1\nx\n2\n0x10\n3\n', true);
    expect(pages).toEqual([1, 2, 3]);
    expect(parser.badLines).toBe(2);
  });
});

describe('lackey traces', () => {
  const sample = [
    '==123== Lackey, an example Valgrind tool',
    '==123== Command: /bin/true',
    'I  04000870,3',
    ' L 1ffefffd50,8',
    ' S 04001000,4',
    ' M 0421FE8,4',
    '==123== ',
    '',
  ].join('\n');

  it('maps I, L, S, M to page references; M is a read then a write', () => {
    const { pages, writes, parser } = parse('lackey', sample);
    expect(pages).toEqual([0x4000, 0x1ffefff, 0x4001, 0x421, 0x421]);
    expect(writes).toEqual([false, false, true, false, true]);
    expect(parser.kinds).toEqual({ instructionFetches: 1, loads: 1, stores: 1, modifies: 1 });
  });
  it('references both pages of an access that straddles a boundary', () => {
    expect(parse('lackey', ' L 0fffc,8\n').pages).toEqual([0xf, 0x10]);
    expect(parse('lackey', ' L 0fff8,8\n').pages).toEqual([0xf]);
  });
  it('divides by the page size given', () => {
    expect(parse('lackey', 'I  04000870,3\n', false, 256).pages).toEqual([0x40008]);
  });
  it('names the line of a malformed entry and what was wrong', () => {
    expect(thrown(() => parse('lackey', `${sample}X  0400,4\n`)).line).toBe(8);
    expect(thrown(() => parse('lackey', ' L 0400\n')).message).toMatch(/expected "," after the address/);
    expect(thrown(() => parse('lackey', ' Q 0400,4\n')).message).toMatch(/expected I, L, S or M/);
    expect(thrown(() => parse('lackey', ' L zz,4\n')).message).toMatch(/hexadecimal address/);
    expect(thrown(() => parse('lackey', ' L 0400,\n')).message).toMatch(/decimal size/);
    expect(thrown(() => parse('lackey', ' L 0400,4 junk\n')).message).toMatch(/after the size/);
  });
  it('skips and counts malformed lines when asked', () => {
    const { pages, parser } = parse('lackey', 'I  1000,4\ngarbage\n L 2000,4\n', true);
    expect(pages).toEqual([1, 2]);
    expect(parser.badLines).toBe(1);
  });
});

describe('streaming', () => {
  it('gives the same references whatever the chunk size, lines split anywhere', () => {
    const lines: string[] = [];
    for (let i = 0; i < 500; i++) lines.push(i % 3 === 0 ? `I  ${(i * 4099).toString(16)},4` : ` S ${(i * 131).toString(16)},8`);
    const path = traceFile(lines.join('\n'));
    const collect = (chunk: number) => {
      const ids = new PageIdTable();
      const out = new ReferenceBuffer();
      const parser = new LackeyParser(ids, out, { skipBadLines: false, source: path }, 4096);
      let chunks = 0;
      streamTraceFile(path, parser, () => chunks++, chunk);
      return { pages: Array.from(out.pages.subarray(0, out.length), (id) => ids.pageOf(id)), chunks, lines: parser.line };
    };
    const whole = collect(1 << 16);
    for (const chunk of [1, 7, 64]) {
      const piecewise = collect(chunk);
      expect(piecewise.pages).toEqual(whole.pages);
      expect(piecewise.lines).toBe(500);
    }
    expect(collect(64).chunks).toBeGreaterThan(50);
  });
  it('counts line numbers across chunks in errors', () => {
    const path = traceFile(`${'1\n'.repeat(1000)}oops\n`);
    expect(() => simulateTraceFile(path, { policy: 'fifo', frames: 2 })).toThrow(`${path}:1001: expected a page number`);
  });
  it('simulates an empty file as zero references', () => {
    const result = simulateTraceFile(traceFile(''), { policy: 'lru', frames: 2 });
    expect([result.references, result.misses, result.hitRatio]).toEqual([0, 0, 0]);
  });
});

describe('the lackey fast path', () => {
  // LackeyParser.parse takes Valgrind's own spelling in one tight pass and hands every other
  // line to the general parseLine. This checks it against the general path alone (the base
  // class's parse) on lines that take every branch of both, well-formed or not.
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const pick = <T,>(next: () => number, choices: readonly T[]): T => choices[Math.floor(next() * choices.length)] as T;

  function hex(next: () => number, digits: number): string {
    let text = '';
    for (let d = 0; d < digits; d++) text += '0123456789abcdefABCDEF'[Math.floor(next() * (d === 0 && next() < 0.5 ? 3 : 22))];
    return text;
  }

  function line(next: () => number, pageSize: number): string {
    const r = next();
    if (r < 0.02) return pick(next, ['==42== Lackey', '==42== ', '', ' ', '\t', '   ', '\r']);
    if (r < 0.06) return pick(next, ['garbage', ' Q 0401ab70,4', 'I', 'I  ', ' L', ' L 0401ab70', ' L 0401ab70,', ' S 0401ab70,4x', ' S ,4', 'I 0401zz70,4', ' I 0401ab70,4', '  L 0401ab70,4', 'i  0401ab70,4']);
    const kind = pick(next, ['I ', ' L', ' S', ' M', 'I ', 'I ']);
    const gap = pick(next, [' ', ' ', ' ', '  ', '\t', ' \t', '']);
    const digits = pick(next, [8, 8, 8, 10, 10, 9, 12, 13, 14, 16, 3, 5, 7, 1, 20]);
    // Sizes that span many pages only where pages are big (each page touched is a reference).
    const sizes = ['1', '2', '4', '8', '3', '16', '32', '64', '0', '1000000000', '007', ...(pageSize >= 256 ? ['4096', '8192'] : []), ...(pageSize >= 65536 ? ['999999999'] : [])];
    const tail = pick(next, ['', '', '', '', ' ', '\r', ' \r', 'x', '\t']);
    return `${kind}${kind === 'I ' ? ' ' : ''}${gap}${hex(next, digits)},${pick(next, sizes)}${tail}`;
  }

  interface Outcome {
    pages: number[];
    flags: number[];
    line: number;
    badLines: number;
    kinds: unknown;
    error?: string;
  }

  function run(text: string, pageSize: number, skipBadLines: boolean, fast: boolean, cuts: number[]): Outcome {
    const ids = new PageIdTable();
    const out = new ReferenceBuffer(2);
    const parser = new LackeyParser(ids, out, { skipBadLines, source: 't' }, pageSize);
    const bytes = Buffer.from(text, 'latin1');
    let error: string | undefined;
    try {
      let start = 0;
      for (const cut of [...cuts, bytes.length]) {
        if (fast) parser.parse(bytes, start, cut);
        else TraceParser.prototype.parse.call(parser, bytes, start, cut);
        start = cut;
      }
    } catch (thrownError) {
      if (!(thrownError instanceof TraceFormatError)) throw thrownError;
      error = thrownError.message;
    }
    return {
      pages: Array.from(out.pages.subarray(0, out.length), (id) => ids.pageOf(id)),
      flags: Array.from(out.flags.subarray(0, out.length)),
      line: parser.line,
      badLines: parser.badLines,
      kinds: { ...parser.kinds },
      ...(error !== undefined ? { error } : {}),
    };
  }

  it('gives the same references, kinds, line numbers and errors as the general path', () => {
    const next = random(20261123);
    for (let round = 0; round < 300; round++) {
      const pageSize = pick(next, [4096, 4096, 1, 2, 256, 65536, 131072, 2 ** 30]);
      const lines = Array.from({ length: 1 + Math.floor(next() * 60) }, () => line(next, pageSize));
      const text = lines.join('\n') + (next() < 0.7 ? '\n' : '');
      // Cut only after newlines, as the reader does; the final piece may lack one.
      const cuts: number[] = [];
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) if (next() < 0.1) cuts.push(at + 1);
      for (const skip of [true, false]) {
        expect(run(text, pageSize, skip, true, cuts), `${JSON.stringify(text)} page size ${pageSize}`).toEqual(run(text, pageSize, skip, false, cuts));
      }
    }
  });

  it('takes real lackey lines, addresses of 8 to 13 digits, and straddling accesses', () => {
    const text = 'I  0401ab70,3\n S 1fff000738,8\n M 0421fe8c,4\n L 0000fffc,8\n L 7fffffffffff,1\nI  0401AB70,16\n';
    const { pages, writes, parser } = parse('lackey', text);
    expect(pages).toEqual([0x401a, 0x1fff000, 0x421f, 0x421f, 0xf, 0x10, 0x7ffffffff, 0x401a]);
    expect(writes).toEqual([false, true, false, true, false, false, false, false]);
    expect(parser.kinds).toEqual({ instructionFetches: 2, loads: 2, stores: 1, modifies: 1 });
    expect(parser.line).toBe(6);
  });

  it('reports a malformed line after well-formed ones with its number', () => {
    const good = 'I  0401ab70,3\n S 1fff000738,8\n'.repeat(50);
    expect(thrown(() => parse('lackey', `${good} L 0401ab70;4\n${good}`)).message).toBe('t:101: expected "," after the address: " L 0401ab70;4"');
    const { parser } = parse('lackey', `${good} L 0401ab70;4\n${good}`, true);
    expect([parser.badLines, parser.line, parser.kinds.instructionFetches]).toEqual([1, 201, 100]);
  });
});
