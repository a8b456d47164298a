import type { RunReport } from '@pagelab/kernel';
import { count } from './output.js';

/** The one JSON object `--json` prints for a run. */
export function runJson(report: RunReport, expected: readonly (string | null)[] = []) {
  const s = report.statistics;
  return {
    ended: report.ended,
    exitCodes: report.processes.map((p) => p.exitCode),
    pageFaults: s.pageFaults,
    restarts: s.restarts,
    ambiguousRestarts: s.ambiguousRestarts,
    unrecoverableRestarts: report.restarts.unrecoverable,
    corruptionEvents: s.corruptionEvents,
    corruptedBytes: report.corruptedBytes,
    bytesCopied: s.bytesCopied,
    copyCycles: report.io.copyCycles,
    pinnedFrameCycles: s.pinnedFrameCycles,
    poolWaits: report.io.poolWaits,
    quotaRefusals: report.io.quotaRefusals,
    contextSwitches: report.contextSwitches,
    pinsAcquired: report.pins.acquired,
    pinsReleased: report.pins.released,
    instructions: s.instructions,
    simulatedCycles: s.simulatedCycles,
    hostMilliseconds: Math.round(report.hostMilliseconds),
    processes: report.processes.map((p, i) => ({
      pid: p.pid,
      name: p.name,
      status: p.status,
      exitCode: p.exitCode,
      killed: p.killed,
      signal: p.signal,
      output: p.stdout,
      stderr: p.stderr,
      ...(expected[i] != null ? { outputMatchesExpected: p.stdout === expected[i] } : {}),
    })),
  };
}

/** The human summary printed after a run. */
export function runSummary(report: RunReport): string {
  const s = report.statistics;
  const lines = [
    `page faults          ${count(s.pageFaults)}`,
    `instructions backed up  ${count(report.restarts.restarted)} restarted, ${count(report.restarts.ambiguous)} ambiguous (${count(report.restarts.resolved)} resolved by policy), ${count(report.restarts.unrecoverable)} unrecoverable`,
    `corruption events    ${count(s.corruptionEvents)} (${count(report.corruptedBytes)} bytes)`,
    `bytes copied         ${count(s.bytesCopied)} (${count(report.io.copyCycles)} cycles)`,
    `pinned frame-cycles  ${count(s.pinnedFrameCycles)} (pins acquired ${count(report.pins.acquired)}, released ${count(report.pins.released)})`,
    `simulated cycles     ${count(s.simulatedCycles)}`,
    `instructions         ${count(s.instructions)}`,
    `host time            ${report.hostMilliseconds.toFixed(0)} ms`,
  ];
  if (report.ended !== 'all-ended') lines.push(`run stopped         ${report.ended === 'interrupted' ? 'interrupted (Ctrl-C)' : 'at the max-cycles bound'}`);
  for (const p of report.processes) {
    const how = p.status === 'exited' ? `exit ${p.exitCode}` : p.status === 'killed' ? `killed: ${p.killed}` : 'still running when the run stopped';
    lines.push(`process ${p.pid} ${p.name}: ${how}`);
  }
  return lines.join('\n') + '\n';
}
