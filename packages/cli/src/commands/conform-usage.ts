/**
 * The seams `pagelab conform` has a suite for, and its usage. They live apart from the command
 * so that every other command starts without loading `@pagelab/conformance` (and the vitest it
 * asserts with); a test checks the list against the conformance package's own.
 */
export const conformSeams = ['replacement-policy', 'pager', 'restart-strategy', 'io-strategy', 'frame-table', 'mmu', 'dma'] as const;

export const conformUsage = `usage: pagelab conform <seam> <module> [--format text|gradescope] [--out FILE] [--extra-tests DIR]
  seam: ${conformSeams.join(', ')}
  module: a .js/.mjs file or an installed package whose default export is the seam's factory
    (SeamFactories in @pagelab/contracts: io-strategy (options) => IoBufferStrategy,
    frame-table (options) => FrameTable, mmu (options) => Mmu, dma (wiring) => DmaController, ...).
  Exit status 0 only when every test passed.
  Needs vitest 4 installed beside pagelab (the suites assert with its expect).
`;
