import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateSstSet, SstSetNotFoundError, SUBSET_DIRECTORY } from './locate.js';
import { listSstFiles } from './runner.js';

describe('locateSstSet', () => {
  const root = mkdtempSync(join(tmpdir(), 'sst-locate-'));
  const full = join(root, 'full');
  const subset = join(root, 'subset');
  const missing = join(root, 'missing');
  mkdirSync(full);
  mkdirSync(subset);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('prefers $PAGELAB_SST_DIR, then the full set, then the subset', () => {
    expect(locateSstSet({ env: { PAGELAB_SST_DIR: subset }, fullSet: full, subset })).toMatchObject({ kind: 'named', directory: subset });
    expect(locateSstSet({ env: {}, fullSet: full, subset })).toMatchObject({ kind: 'full', directory: full });
    expect(locateSstSet({ env: {}, fullSet: missing, subset })).toMatchObject({ kind: 'subset', directory: subset });
  });

  it('a wrong $PAGELAB_SST_DIR is an error, not a reason to fall back', () => {
    expect(() => locateSstSet({ env: { PAGELAB_SST_DIR: missing }, fullSet: full, subset })).toThrow(
      new SstSetNotFoundError(`PAGELAB_SST_DIR=${missing}: no such directory (it should name the v1 folder of SingleStepTests/m68000)`),
    );
  });

  it('fails loudly, naming where it looked, when there is no set at all', () => {
    expect(() => locateSstSet({ env: {}, fullSet: missing, subset: join(root, 'gone') })).toThrow(/no SingleStepTests set found: .*missing and .*gone do not exist/);
  });

  it('the committed subset is where the locator looks for it, with its 127 files', () => {
    expect(listSstFiles(SUBSET_DIRECTORY)).toHaveLength(127);
  });
});
