import type { CommandOutput } from './output.js';

/** Progress of a long run on stderr. */
export interface Progress {
  /** Called by the simulation every few million cycles. */
  readonly onProgress: ((cycles: number) => void) | undefined;
  /** Ends the progress line, if one was shown. */
  finish(): void;
}

/**
 * Shows the simulated cycles so far once a run has taken more than a second of host time,
 * on terminals only, so logs and pipes stay clean.
 */
export function progressReporter(out: CommandOutput, label: string): Progress {
  if (!out.interactive) return { onProgress: undefined, finish: () => undefined };
  const started = Date.now();
  let shown = false;
  return {
    onProgress: (cycles) => {
      const elapsed = Date.now() - started;
      if (elapsed < 1000) return;
      shown = true;
      out.stderr(`\r${label}: ${(cycles / 1e6).toFixed(1)} M simulated cycles, ${(elapsed / 1000).toFixed(1)} s `);
    },
    finish: () => {
      if (shown) out.stderr('\n');
    },
  };
}
