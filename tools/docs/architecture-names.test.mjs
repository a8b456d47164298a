import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDocumentNames } from './doc-names.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('docs/architecture.md', () => {
  it('names only files and declarations that exist, all of them in its checked list', () => {
    const text = readFileSync(join(repoRoot, 'docs', 'architecture.md'), 'utf8');
    expect(checkDocumentNames(text, repoRoot, 'docs/architecture.md')).toEqual([]);
  });
});

describe('checkDocumentNames', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'pagelab-doc-names-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  mkdirSync(join(scratch, 'src'));
  writeFileSync(
    join(scratch, 'src', 'pager.ts'),
    [
      'export interface Pager {',
      '  handleFault(space: number): number;',
      '  readonly statistics: number;',
      '}',
      'export class FaultService implements Pager {',
      '  private evict(): void {}',
      '  handleFault(space: number): number { return space; }',
      '  get statistics(): number { return 0; }',
      '}',
      'export const enum Stop { Trap = 1, BusFault = 2 }',
      'export function createPager(): Pager { return new FaultService(); }',
      '',
    ].join('\n'),
  );
  const doc = (body, list) => `# doc\n\n${body}\n\n<!-- checked-names:begin -->\n${list}\n<!-- checked-names:end -->\n`;

  it('accepts declarations of every kind: class, interface, function, enum, methods, accessors, enum members', () => {
    const list = '- `src/pager.ts`: `Pager`, `Pager.handleFault`, `Pager.statistics`, `FaultService.evict`, `FaultService.statistics`, `createPager`, `Stop`';
    expect(checkDocumentNames(doc('Pager.handleFault then FaultService.evict; see `src/pager.ts`.', list), scratch, 'd.md')).toEqual([]);
  });

  it('reports a missing file, a missing declaration, a member of the wrong type, and an unlisted name', () => {
    const list = ['- `src/missing.ts`: `Gone`', '- `src/pager.ts`: `serviceFault`, `Pager.serviceFault`, `Pager.evict`'].join('\n');
    expect(checkDocumentNames(doc('the kernel calls Pager.handleFault, then pager.serviceFault (e.g. in `src/nowhere/x.ts`)', list), scratch, 'd.md')).toEqual([
      'd.md:6: file src/missing.ts does not exist',
      'd.md:7: src/pager.ts declares no serviceFault',
      'd.md:7: Pager in src/pager.ts has no member serviceFault',
      'd.md:7: Pager in src/pager.ts has no member evict',
      'd.md:3: names Pager.handleFault, which the checked-names list does not have',
      'd.md:3: names pager.serviceFault, which the checked-names list does not have',
      'd.md:3: path src/nowhere/x.ts does not exist',
    ]);
  });

  it('refuses a document without the list, or with an empty or malformed one', () => {
    expect(checkDocumentNames('# doc\n', scratch, 'd.md')).toEqual(['d.md: no <!-- checked-names:begin --> ... <!-- checked-names:end --> list']);
    expect(checkDocumentNames(doc('', ''), scratch, 'd.md')).toEqual(['d.md:5: the checked-names list is empty']);
    expect(checkDocumentNames(doc('', '* src/pager.ts'), scratch, 'd.md')).toEqual([
      'd.md:6: expected "- `path`: `Name`, `Name.member`, ...", got "* src/pager.ts"',
      'd.md:5: the checked-names list is empty',
    ]);
  });
});
