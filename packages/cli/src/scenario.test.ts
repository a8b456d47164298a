import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '@pagelab/kernel';
import { parseScenario } from './scenario.js';

const files: Record<string, Uint8Array> = { 'input.txt': new TextEncoder().encode('hello'), 'prog.elf': new Uint8Array([0x7f, 0x45]) };
const read = (relative: string) => {
  const bytes = files[relative];
  if (bytes === undefined) throw new Error('ENOENT');
  return bytes;
};
const problem = (raw: unknown) => {
  try {
    parseScenario(raw, 'exp.json', read);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).message;
  }
  throw new Error('expected a ScenarioError');
};

describe('scenario files', () => {
  it('reads a good scenario with its files', () => {
    const s = parseScenario(
      {
        name: 'race',
        system: { frames: 32, io: 'bounce' },
        files: { '/data': 'input.txt' },
        processes: [
          { name: 'reader', program: 'prog.elf', stdin: 'input.txt', priority: 1 },
          { name: 'hog', synthetic: { pattern: 'random', pages: 40, references: 1000, io: { every: 100, bytes: 10, file: '/data' } }, priority: 5 },
        ],
      },
      'exp.json',
      read,
    );
    expect(s.config.frames).toBe(32);
    expect(s.files.get('/data')).toEqual(files['input.txt']);
    expect(s.processes.map((p) => p.kind)).toEqual(['program', 'synthetic']);
  });

  it('names the bad field and what was expected', () => {
    const proc = { name: 'p', program: 'prog.elf' };
    expect(problem({ processes: [] })).toBe('exp.json: processes: expected a non-empty array, got []');
    expect(problem({ system: { frames: 0 }, processes: [proc] })).toBe('exp.json: system.frames: expected an integer from 1 to 1048576, got 0');
    expect(problem({ system: { io: 'lazy' }, processes: [proc] })).toBe('exp.json: system.io: expected one of pin, bounce, unprotected, hybrid, got "lazy"');
    expect(problem({ processes: [proc, { name: 'q', priority: 'high', program: 'prog.elf' }] })).toBe(
      'exp.json: processes[1].priority: expected an integer from 0 to 255, got "high"',
    );
    expect(problem({ processes: [{ name: 'p', program: 'missing.elf' }] })).toBe('exp.json: processes[0].program: cannot read missing.elf');
    expect(problem({ processes: [{ name: 'p' }] })).toBe('exp.json: processes[0]: expected exactly one of "program" or "synthetic"');
    expect(problem({ processes: [proc], extra: 1 })).toMatch(/^exp\.json: extra: unknown field/);
    expect(problem({ processes: [{ name: 's', synthetic: { pattern: 'loop', pages: 2, references: 5, io: { every: 1, bytes: 1, file: '/nope' } } }] })).toBe(
      'exp.json: processes[0].synthetic.io.file: names "/nope", which is not in "files"',
    );
  });

  it('publishes a schema whose system settings are exactly the ones the kernel accepts', () => {
    const schemaPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'scenario.schema.json');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { properties: { system: { properties: Record<string, unknown> } } };
    const settings = Object.keys(schema.properties.system.properties);
    expect(problem({ system: { nonsense: 1 }, processes: [{ name: 'p', program: 'prog.elf' }] })).toContain(`known settings are ${settings.join(', ')}`);
  });
});
