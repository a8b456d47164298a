import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@pagelab/contracts';
import { defaultSystemConfig, parseSystemConfig, systemConfigChoices, systemConfigLimits } from './config.js';
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
    // Continue picks the model it needs, as hardware does.
    expect(parseSystemConfig({ restart: 'continue' }).cpuModel).toBe('m68010-continuation');
    expect(config.lockQuota).toEqual({ mode: 'refuse', perAddressSpace: Infinity, global: Infinity, pressureThreshold: 0 });
    expect(config.costs).toEqual(defaultCostModel);
    expect(parseSystemConfig({ restart: 'software' }).cpuModel).toBe('m68000');
    expect(parseSystemConfig({ restart: 'software', cpuModel: 'pc-only' }).cpuModel).toBe('pc-only');
  });

  it('names the field and what was expected', () => {
    expect(refusal({ frames: 0 })).toBe('frames: expected an integer from 1 to 1048576, got 0');
    expect(refusal({ pageSize: 3000 })).toBe('pageSize: expected a power of two from 256 to 65536, got 3000');
    expect(refusal({ policy: 'lfu' })).toMatch(/^policy: expected one of fifo, clock, .*, got "lfu"$/);
    expect(refusal({ lockQuota: { mode: 'maybe' } })).toBe('lockQuota.mode: expected one of refuse, hint, got "maybe"');
    expect(refusal({ tlb: { entries: 64, ways: 5 } })).toBe('tlb.ways: 5 ways do not divide 64 entries');
    expect(refusal({ costs: { copyPerByte: -1 } })).toBe('costs.copyPerByte: expected a finite number of cycles from 0 to 1000000000, got -1');
    expect(refusal({ frame: 8 })).toMatch(/^frame: unknown setting/);
    expect(refusal({ restart: 'software', cpuModel: 'pc' })).toBe('cpuModel: expected one of m68000, m68010-hidden, pc-only, m68010-continuation, got "pc"');
    expect(refusal({ restart: 'resume' })).toBe('restart: expected one of hardware, software, none, continue, got "resume"');
  });

  it('refuses impossible combinations', () => {
    expect(refusal({ restart: 'hardware', cpuModel: 'm68000' })).toMatch(/^restart: 'hardware' restart needs .*m68010-hidden/);
    expect(refusal({ restart: 'hardware', cpuModel: 'pc-only' })).toMatch(/^restart: 'hardware' restart needs .*m68010-hidden.*pc-only/);
    expect(refusal({ restart: 'continue', cpuModel: 'm68000' })).toBe("restart: 'continue' restart needs the long frame of cpuModel 'm68010-continuation', not 'm68000'");
    expect(refusal({ restart: 'software', cpuModel: 'm68010-continuation' })).toBe("restart: cpuModel 'm68010-continuation' is resumed, not backed up: it needs restart 'continue', not 'software'");
    expect(refusal({ restart: 'hardware', cpuModel: 'm68010-continuation' })).toMatch(/^restart: 'hardware' restart needs .*m68010-hidden/);
    expect(refusal({ frames: 5, kernelFrames: 1, bounceFrames: 4 })).toMatch(/^frames: 5 frames leave none for processes/);
    expect(refusal({ io: 'bounce', bounceFrames: 0 })).toMatch(/^bounceFrames: io 'bounce' needs a bounce pool/);
  });
});

describe('parseSystemConfig bounds what a configuration may make the host allocate (issue 8 item 16)', () => {
  it('names the field and the limit, in one line', () => {
    // 1,048,576 frames of 64 KiB was a RangeError stack trace from the Uint8Array allocation.
    expect(refusal({ frames: 1_048_576, pageSize: 65_536 })).toBe(
      'frames: 1048576 frames of 65536 bytes are 68719476736 bytes of physical memory; the limit is 268435456 (4096 frames of this size)',
    );
    expect(refusal({ frames: 2 ** 20 + 1 })).toBe('frames: expected an integer from 1 to 1048576, got 1048577');
    expect(refusal({ swapSlots: 1e12 })).toBe('swapSlots: expected an integer from 1 to 1048576, got 1000000000000');
    expect(refusal({ tlb: { entries: 2 ** 17 } })).toBe('tlb.entries: expected an integer from 1 to 65536, got 131072');
    expect(refusal({ dmaChannels: 65 })).toBe('dmaChannels: expected an integer from 1 to 64, got 65');
  });

  it('refuses non-finite and absurd costs, spelling the value out (JSON would print null)', () => {
    for (const value of [Infinity, -Infinity, NaN]) {
      expect(refusal({ costs: { diskSeek: value } })).toBe(`costs.diskSeek: expected a finite number of cycles from 0 to 1000000000, got ${String(value)}`);
    }
    expect(refusal({ costs: { diskSeek: 1e300 } })).toBe('costs.diskSeek: expected a finite number of cycles from 0 to 1000000000, got 1e+300');
    expect(refusal({ costs: { diskSeek: '5' } })).toBe('costs.diskSeek: expected a finite number of cycles from 0 to 1000000000, got "5"');
    expect(refusal({ seed: Infinity })).toBe('seed: expected an integer from 0 to 4294967295, got Infinity');
  });

  it('accepts the largest memory the limit allows, and the defaults are what the help says', () => {
    expect(parseSystemConfig({ frames: systemConfigLimits.physicalBytes / 65_536, pageSize: 65_536 }).frames).toBe(4096);
    expect(defaultSystemConfig).toEqual(parseSystemConfig({}));
    expect(systemConfigChoices.io).toEqual(['pin', 'bounce', 'unprotected', 'hybrid']);
  });
});

describe('parseSystemConfig on its own output', () => {
  it('is idempotent, so a checked configuration can be passed again', () => {
    const once = parseSystemConfig({ frames: 16, io: 'hybrid', lockQuota: { perAddressSpace: 4 } });
    expect(parseSystemConfig(once)).toEqual(once);
  });
});
