import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  ElfFormatError,
  FrameStateError,
  LockQuotaError,
  PagelabError,
  ScenarioError,
  TraceFormatError,
  isPagelabError,
  specificationVersion,
} from './index.js';

describe('error classes', () => {
  it('carry a stable code and a one-line message that names what was wrong', () => {
    const error = new TraceFormatError('trace.txt', 17, "'0x12g' is not a page number");
    expect(error).toBeInstanceOf(PagelabError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('TRACE_FORMAT');
    expect(error.name).toBe('TraceFormatError');
    expect(error.line).toBe(17);
    expect(error.message).toBe("trace.txt:17: '0x12g' is not a page number");
    expect(error.message).not.toContain('\n');
  });

  it('name the field of a bad configuration or scenario', () => {
    expect(new ConfigurationError('frames', 'must be at least 1, got 0').message).toBe('frames: must be at least 1, got 0');
    const scenario = new ScenarioError('exp.json', 'processes[1].priority', 'expected an integer 0..7, got "high"');
    expect(scenario.field).toBe('processes[1].priority');
    expect(scenario.message).toBe('exp.json: processes[1].priority: expected an integer 0..7, got "high"');
  });

  it('keep the details a caller needs to react', () => {
    expect(new ElfFormatError('a.out', 'wrong machine: x86-64 (62), expected 68000 (4)').source).toBe('a.out');
    expect(new FrameStateError(12, 'unpinned but not pinned').frame).toBe(12);
    const quota = new LockQuotaError('global', 64, 'global lock quota of 64 frames reached');
    expect([quota.quota, quota.limit, quota.code]).toEqual(['global', 64, 'LOCK_QUOTA']);
  });

  it('publishes a semantic specification version', () => {
    expect(specificationVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('isPagelabError', () => {
  it('recognises errors by brand and code, also from another copy of the contracts package', () => {
    const own = new ConfigurationError('frames', 'must be at least 1, got 0');
    expect(isPagelabError(own)).toBe(true);
    expect(isPagelabError(own, 'CONFIGURATION')).toBe(true);
    expect(isPagelabError(own, 'SCENARIO')).toBe(false);
    // What a second copy of @pagelab/contracts (another 0.x minor) builds: same registered brand, other class.
    const foreign = Object.assign(new Error('every frame in scope is pinned'), {
      [Symbol.for('@pagelab/contracts/error')]: true,
      code: 'NOTHING_EVICTABLE',
    });
    expect(foreign).not.toBeInstanceOf(PagelabError);
    expect(isPagelabError(foreign, 'NOTHING_EVICTABLE')).toBe(true);
    expect(isPagelabError(new Error('plain'))).toBe(false);
    expect(isPagelabError(null)).toBe(false);
    expect(isPagelabError({ code: 'CONFIGURATION' })).toBe(false);
  });
});
