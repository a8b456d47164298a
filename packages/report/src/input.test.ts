import { describe, expect, it } from 'vitest';
import { isPagelabError } from '@pagelab/contracts';
import { parseResultsFile, reportInput } from './input.js';

const traceLine = (policy: string, frames: number, misses: number) =>
  JSON.stringify({ sweep: 's', key: { trace: 'belady', policy, frames }, run: { references: 12, distinctPages: 5, misses, compulsoryMisses: 5, evictions: misses - frames, writebacks: 0, hitRatio: 1 - misses / 12 } });

function errorOf(text: string): string {
  try {
    parseResultsFile(text, 'r.jsonl');
  } catch (error) {
    expect(isPagelabError(error, 'RESULTS_FORMAT')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a ResultsFormatError');
}

describe('parseResultsFile', () => {
  it('reads a trace sweep\'s lines, skipping blank lines', () => {
    const file = parseResultsFile(`${traceLine('fifo', 3, 9)}\n\n${traceLine('fifo', 4, 10)}\n`, 'r.jsonl');
    expect(file.kind).toBe('sweep');
    if (file.kind !== 'sweep') return;
    expect(file.traceLines.map((l) => [l.key.frames, l.run.misses])).toEqual([[3, 9], [4, 10]]);
    expect(file.systemLines).toEqual([]);
  });

  it('reads an event log after its header', () => {
    const text = [JSON.stringify({ format: 'pagelab-events', run: 'sort' }), JSON.stringify({ kind: 'dma-burst', at: 5, transfer: 1, direction: 'to-memory', address: 0, bytes: 64 })].join('\n');
    const file = parseResultsFile(text, 'e.jsonl');
    expect(file).toEqual({ kind: 'events', events: { run: 'sort', events: [{ kind: 'dma-burst', at: 5, transfer: 1, direction: 'to-memory', address: 0, bytes: 64 }] } });
  });

  it('names the line and what was wrong with it', () => {
    expect(errorOf(`${traceLine('fifo', 3, 9)}\nnot json`)).toBe('r.jsonl:2: not a JSON line: "not json"');
    expect(errorOf('[1,2]')).toBe('r.jsonl:1: expected a JSON object on each line');
    expect(errorOf('{"key":{},"run":{}}')).toMatch(/^r\.jsonl:1: sweep: expected the sweep's name/);
    expect(errorOf('{"sweep":"s","key":{"trace":"t","policy":"fifo","frames":"3"},"run":{}}')).toBe('r.jsonl:1: key.frames: expected a number, found "3"');
    expect(errorOf('{"sweep":"s","key":{"scenario":"x"},"run":{}}')).toBe('r.jsonl:1: key.frames: expected a number, found nothing');
    expect(errorOf(`${JSON.stringify({ format: 'pagelab-events', run: 'r' })}\n{"kind":"meteor","at":1}`)).toMatch(/^r\.jsonl:2: kind: expected one of corruption, page-fault, dma-burst, restart, exit, found "meteor"$/);
    expect(errorOf('\n \n')).toBe('r.jsonl: no results in the file (expected sweep JSONL or a pagelab-events log)');
  });
});

describe('reportInput', () => {
  it('gathers sweep lines and event logs from many files, in order', () => {
    const a = parseResultsFile(traceLine('fifo', 3, 9), 'a');
    const b = parseResultsFile(`${JSON.stringify({ format: 'pagelab-events', run: 'r' })}\n`, 'b');
    const input = reportInput('t', [{ source: 'a', file: a }, { source: 'b', file: b }]);
    expect(input.sources).toEqual(['a', 'b']);
    expect(input.traceLines).toHaveLength(1);
    expect(input.timelines).toEqual([{ run: 'r', events: [] }]);
  });
});
