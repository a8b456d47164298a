import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@pagelab/contracts';
import { parseSystemConfig } from './config.js';
import { defaultCostModel } from './costs.js';

const refusal = (input: unknown) => {
  try {
    parseSystemConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).message;
  }
  throw new Error('expected a ConfigurationError');
};

describe('parseSystemConfig', () => {
  it('fills in defaults that make a working system', () => {
    const config = parseSystemConfig({});
    expect(config).toMatchObject({ frames: 64, pageSize: 4096, policy: 'clock', scope: 'global', io: 'pin', restart: 'hardware', cpuModel: 'm68010-hidden' });
    expect(config.lockQuota).toEqual({ mode: 'refuse', perAddressSpace: Infinity, global: Infinity, pressureThreshold: 0 });
    expect(config.costs).toEqual(defaultCostModel);
    expect(parseSystemConfig({ restart: 'software' }).cpuModel).toBe('m68000');
  });

  it('names the field and what was expected', () => {
    expect(refusal({ frames: 0 })).toBe('frames: expected an integer from 1 to 1048576, got 0');
    expect(refusal({ pageSize: 3000 })).toBe('pageSize: expected a power of two from 256 to 65536, got 3000');
    expect(refusal({ policy: 'lfu' })).toMatch(/^policy: expected one of fifo, clock, .*, got "lfu"$/);
    expect(refusal({ lockQuota: { mode: 'maybe' } })).toBe('lockQuota.mode: expected one of refuse, hint, got "maybe"');
    expect(refusal({ tlb: { entries: 64, ways: 5 } })).toBe('tlb.ways: 5 ways do not divide 64 entries');
    expect(refusal({ costs: { copyPerByte: -1 } })).toBe('costs.copyPerByte: expected a non-negative number of cycles, got -1');
    expect(refusal({ frame: 8 })).toMatch(/^frame: unknown setting/);
  });

  it('refuses impossible combinations', () => {
    expect(refusal({ restart: 'hardware', cpuModel: 'm68000' })).toMatch(/^restart: 'hardware' restart needs .*m68010-hidden/);
    expect(refusal({ frames: 5, kernelFrames: 1, bounceFrames: 4 })).toMatch(/^frames: 5 frames leave none for processes/);
    expect(refusal({ io: 'bounce', bounceFrames: 0 })).toMatch(/^bounceFrames: io 'bounce' needs a bounce pool/);
  });
});

describe('parseSystemConfig on its own output', () => {
  it('is idempotent, so a checked configuration can be passed again', () => {
    const once = parseSystemConfig({ frames: 16, io: 'hybrid', lockQuota: { perAddressSpace: 4 } });
    expect(parseSystemConfig(once)).toEqual(once);
  });
});
