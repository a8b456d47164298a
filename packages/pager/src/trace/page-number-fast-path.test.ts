import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TraceFormatError } from '@pagelab/contracts';
import { PageNumberParser, TraceParser } from './formats.js';
import { PageIdTable } from './page-ids.js';
import { ReferenceBuffer } from './reference-buffer.js';

// PageNumberParser.parse takes lines of bare digits in one tight loop and hands every other
// line to the general parseLine. The general path alone (the base class's parse, which calls
// parseLine line by line) is the reference: on any input, cut anywhere the reader may cut it,
// both must give the same page sequence, line count, bad-line count and error.

interface Outcome {
  pages: number[];
  flags: number[];
  line: number;
  badLines: number;
  loads: number;
  error?: string;
}

function run(text: string, skipBadLines: boolean, fast: boolean, cuts: readonly number[]): Outcome {
  const ids = new PageIdTable();
  const out = new ReferenceBuffer(2);
  const parser = new PageNumberParser(ids, out, { skipBadLines, source: 't' });
  const bytes = Buffer.from(text, 'latin1');
  let error: string | undefined;
  try {
    let start = 0;
    for (const cut of [...cuts, bytes.length]) {
      if (fast) parser.parse(bytes, start, cut);
      else TraceParser.prototype.parse.call(parser, bytes, start, cut);
      start = cut;
    }
  } catch (thrown) {
    if (!(thrown instanceof TraceFormatError)) throw thrown;
    error = thrown.message;
  }
  return {
    pages: Array.from(out.pages.subarray(0, out.length), (id) => ids.pageOf(id)),
    flags: Array.from(out.flags.subarray(0, out.length)),
    line: parser.line,
    badLines: parser.badLines,
    loads: parser.kinds.loads,
    ...(error !== undefined ? { error } : {}),
  };
}

const pageNumber = fc.oneof(
  fc.integer({ min: 0, max: 2000 }),
  fc.integer({ min: 0, max: 0x7fffffff }),
  fc.integer({ min: 0x7fffff00, max: 0x800000ff }),
  fc.constantFrom(2 ** 53 - 1, 2 ** 53, 999_999_999_999_999, 1_000_000_000_000_000, 10 ** 20),
);

/** A line body: a page number (maybe padded or zero-led), or one of the lines the format skips or refuses. */
const lineBody = fc.oneof(
  { weight: 12, arbitrary: pageNumber.map(String) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('', ' ', '\t', '  '), pageNumber, fc.constantFrom('', ' ', '\t ')).map(([a, p, b]) => `${a}${p}${b}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('0', '00', '000000000000000'), fc.integer({ min: 0, max: 99999 })).map(([z, p]) => `${z}${p}`) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('', ' ', '\t', '# a comment', '  # indented comment', '#', '\r', 'x', '12x', '-3', '0x10', '1 2', '+5', '1.5', '12\r\r', '\u00ff', '99999999999999999999'),
  },
);

const traceText = fc
  .tuple(fc.array(fc.tuple(lineBody, fc.constantFrom('\n', '\n', '\n', '\r\n')), { maxLength: 80 }), fc.boolean())
  .map(([lines, lastBreak]) => {
    const text = lines.map(([body, eol]) => body + eol).join('');
    // Sometimes the last line has no line break.
    return lastBreak || text.length === 0 ? text : text.slice(0, text.endsWith('\r\n') ? -2 : -1);
  });

/** Cut points just after line breaks (as the reader cuts), picked by `seeds`. */
function cutsOf(text: string, seeds: readonly number[]): number[] {
  const breaks: number[] = [];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) breaks.push(at + 1);
  if (breaks.length === 0) return [];
  return [...new Set(seeds.map((s) => breaks[s % breaks.length] as number))].sort((a, b) => a - b);
}

describe('the page-number fast path', () => {
  it('gives the same pages, line numbers, bad lines and errors as the general path on random traces', () => {
    fc.assert(
      fc.property(traceText, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (text, seeds, skip) => {
        const cuts = cutsOf(text, seeds);
        expect(run(text, skip, true, cuts)).toEqual(run(text, skip, false, cuts));
        // And cutting does not change anything.
        expect(run(text, skip, true, cuts)).toEqual(run(text, skip, true, []));
      }),
      { numRuns: 600, seed: 20261129 },
    );
  });

  it('reads the spellings the format allows, CRLF included, with the right line numbers', () => {
    const text = '7\r\n0\n  1 \n\n# comment\r\n000012\n9007199254740991\r\n2147483647\n2147483648\n2';
    const outcome = run(text, false, true, []);
    expect(outcome.pages).toEqual([7, 0, 1, 12, 2 ** 53 - 1, 2 ** 31 - 1, 2 ** 31, 2]);
    expect([outcome.line, outcome.loads]).toEqual([10, 8]);
  });

  it('reports a bad line after many good ones with its number, or skips it', () => {
    const good = '5\n6\r\n'.repeat(500);
    expect(run(`${good}12x\n${good}`, false, true, []).error).toBe('t:1001: unexpected text after the page number: "12x"');
    expect(run(`${good}9007199254740992\n`, false, true, []).error).toBe('t:1001: page number too large: "9007199254740992"');
    const skipped = run(`${good}oops\n${good}`, true, true, []);
    expect([skipped.badLines, skipped.line, skipped.pages.length]).toEqual([1, 2001, 2000]);
  });

  it('gives the same page ids through its cache as the page-id table alone', () => {
    // Pages that collide in the direct-mapped cache (same low ten bits) alternate.
    const pages = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 13) * 1024 + (i % 3));
    const outcome = run(pages.map((p) => `${p}\n`).join(''), false, true, []);
    expect(outcome.pages).toEqual(pages);
  });
});
