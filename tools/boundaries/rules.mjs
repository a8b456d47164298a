// The import rule of DESIGN.md, as data: which @pagelab packages each package may import.
// Both the boundary checker and the ESLint config read this one table.

/** Packages each package may import at run time (by directory name under packages/). */
export const allowedImports = {
  contracts: [],
  'cpu-m68k': ['contracts'],
  mmu: ['contracts'],
  'frame-table': ['contracts'],
  pager: ['contracts'],
  dma: ['contracts'],
  'io-buffers': ['contracts'],
  conformance: ['contracts'],
  report: ['contracts'],
  kernel: ['contracts', 'cpu-m68k', 'mmu', 'frame-table', 'pager', 'dma', 'io-buffers'],
  cli: ['kernel', 'conformance', 'report'],
};

/** Packages test files may import on top of the run-time ones: a package runs the shared conformance suites. */
export const allowedInTests = ['conformance'];

export const scope = '@pagelab/';
