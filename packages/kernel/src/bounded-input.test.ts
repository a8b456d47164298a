import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@pagelab/contracts';
import { createSystem } from './create-system.js';

const readsum = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'bin', 'readsum.elf'));

describe('unbounded inputs are streamed or refused (issue 8 item 16)', () => {
  it('streams standard input into a process one DMA burst at a time: an endless source is never held whole', () => {
    const requests: number[] = [];
    let delivered = 0;
    // /dev/zero as the simulation sees it: bytes forever.
    const zeros = {
      read(into: Uint8Array) {
        requests.push(into.length);
        into.fill(0);
        delivered += into.length;
        return into.length;
      },
    };
    const system = createSystem({ frames: 32, io: 'pin', restart: 'software' });
    system.spawnProgram({ name: 'readsum', executable: readsum, stdin: zeros });
    const report = system.run({ maxCycles: 20_000_000 });
    expect(report.ended).toBe('max-cycles');
    expect(report.processes[0]!.status).toBe('running');
    // It read a great deal (16 KiB at a time), but never asked the source for more than a burst.
    expect(delivered).toBeGreaterThan(16_384);
    expect(Math.max(...requests)).toBeLessThanOrEqual(64);
  });

  it('reads a streamed source to its end exactly as the same bytes given whole', () => {
    const text = new TextEncoder().encode('one two\nthree four five\n'.repeat(2000));
    let at = 0;
    const source = {
      read(into: Uint8Array) {
        const n = Math.min(into.length, text.length - at);
        into.set(text.subarray(at, at + n));
        at += n;
        return n;
      },
    };
    const outputs = [source, text].map((stdin) => {
      const system = createSystem({ frames: 16, io: 'bounce', restart: 'software' });
      system.spawnProgram({ name: 'readsum', executable: readsum, stdin });
      const report = system.run();
      expect(report.processes[0]!.exitCode).toBe(0);
      return report.processes[0]!.stdout;
    });
    expect(outputs[0]).toBe(outputs[1]);
    expect(outputs[0]).toContain(String(text.length));
  });

  it('refuses a synthetic process without references (it used to run forever), naming the field', () => {
    const system = createSystem({});
    expect(() => system.spawnSynthetic({ name: 'p', spec: { pattern: 'loop', pages: 4 } as never })).toThrow(
      new ConfigurationError('p.references', 'expected an integer from 1 to 9007199254740991 (required), got nothing'),
    );
    expect(() => system.spawnSynthetic({ name: 'p', spec: { pattern: 'loop', pages: 1_000_000, references: 1 } })).toThrow(
      /^p\.pages: expected an integer from 1 to 3824 \(required\), got 1000000$/,
    );
  });
});
