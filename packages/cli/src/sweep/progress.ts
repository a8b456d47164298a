import type { CommandOutput } from '../output.js';

/** How a sweep's progress is shown: on stderr only, so the results never carry host time. */
export interface SweepProgress {
  /** `n` more points have their lines. */
  advance(n: number): void;
  /** Ends the bar (or prints the last plain line). */
  finish(): void;
}

const barWidth = 24;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * Progress over `total` points, of which `done` were already in the results: a bar redrawn in
 * place on a terminal (done/total, points per second, time left), else a plain line at each
 * tenth of the way, so a log gets ten lines whatever the sweep's size.
 */
export function sweepProgress(out: CommandOutput, label: string, total: number, done: number, now: () => number = Date.now): SweepProgress {
  const started = now();
  const before = done;
  let finished = done;
  let shownTenths = Math.floor((10 * done) / Math.max(total, 1));
  let drawn = 0;
  const status = (): string => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? (finished - before) / seconds : 0;
    const left = rate > 0 ? duration((total - finished) / rate) : '?';
    return `${finished}/${total} points, ${rate.toFixed(1)} points/s, ETA ${finished === total ? '0 s' : left}`;
  };
  const draw = (): void => {
    const filled = total === 0 ? barWidth : Math.round((barWidth * finished) / total);
    out.stderr(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${status()}  `);
  };
  if (out.interactive) draw();
  return {
    advance(n) {
      finished += n;
      if (out.interactive) {
        // Redrawn at most ten times a second: a terminal is slower than a fast trace sweep.
        if (now() - drawn >= 100 || finished === total) {
          drawn = now();
          draw();
        }
        return;
      }
      const tenths = Math.floor((10 * finished) / Math.max(total, 1));
      if (tenths > shownTenths) {
        shownTenths = tenths;
        out.stderr(`${label}: ${status()}\n`);
      }
    },
    finish() {
      if (out.interactive) {
        draw();
        out.stderr('\n');
      }
    },
  };
}
