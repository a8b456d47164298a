import { leaksByFrame, type KernelMemoryReport, type LockLeakReport, type RunReport } from '@pagelab/kernel';
import { count } from './output.js';

/**
 * The one JSON object `--json` prints for a run: a function of the configuration and seed
 * alone, so the same run prints the same bytes (host time goes to stderr, see {@link hostTime}).
 * The I/O figures are the kernel's own measurements.
 */
export function runJson(report: RunReport, expected: readonly (string | null)[] = []) {
  const s = report.statistics;
  return {
    ended: report.ended,
    exitCodes: report.processes.map((p) => p.exitCode),
    pageFaults: s.pageFaults,
    wastedPageIns: s.wastedPageIns,
    wastedPageInsSelf: s.wastedPageInsSelf,
    restarts: s.restarts,
    ambiguousRestarts: s.ambiguousRestarts,
    unrecoverableRestarts: report.restarts.unrecoverable,
    corruptionEvents: s.corruptionEvents,
    corruptedBytes: report.corruptedBytes,
    bytesCopied: s.bytesCopied,
    copyCycles: report.io.copyCycles,
    dmaPins: report.io.dmaPins,
    dmaPinsIgnored: report.io.dmaPinsIgnored,
    pinnedFrameCycles: s.pinnedFrameCycles,
    poolWaits: report.io.poolWaits,
    quotaRefusals: report.io.quotaRefusals,
    splitRequests: report.io.splitRequests,
    ioPieces: report.io.pieces,
    contextSwitches: report.contextSwitches,
    clockTicks: report.clockTicks,
    pinsAcquired: report.pins.acquired,
    pinsReleased: report.pins.released,
    instructions: s.instructions,
    simulatedCycles: s.simulatedCycles,
    idleCycles: report.idleCycles,
    swapCycles: report.swapCycles,
    loadControlSuspensions: report.loadControl.suspensions,
    loadControlResumes: report.loadControl.resumes,
    loadControlPagesSwappedOut: report.loadControl.pagesSwappedOut,
    loadControlSuspendedCycles: report.loadControl.suspendedCycles,
    // Only a run with something to say about leaks carries the audit, so other runs' JSON stays as it was.
    ...(report.lockLeaks.injection !== null || report.lockLeaks.leaks.length > 0 ? { lockLeaks: leakJson(report.lockLeaks) } : {}),
    // Only a run whose kernel pages take frames says so, so other runs' JSON stays as it was.
    ...(report.kernelMemory !== null ? { kernelMemory: report.kernelMemory } : {}),
    processes: report.processes.map((p, i) => ({
      pid: p.pid,
      name: p.name,
      status: p.status,
      exitCode: p.exitCode,
      killed: p.killed,
      signal: p.signal,
      output: p.stdout,
      stderr: p.stderr,
      pageFaults: p.pageFaults,
      endedAtCycle: p.endedAtCycle,
      ...(expected[i] != null ? { outputMatchesExpected: p.stdout === expected[i] } : {}),
    })),
  };
}

/** The human summary printed after a run. */
export function runSummary(report: RunReport): string {
  const s = report.statistics;
  const lines = [
    `page faults          ${count(s.pageFaults)}`,
    `wasted page-ins      ${wastedLine(s.wastedPageIns, s.wastedPageInsSelf)}`,
    `instructions backed up  ${count(report.restarts.restarted)} restarted, ${count(report.restarts.ambiguous)} ambiguous (${count(report.restarts.resolved)} resolved by policy), ${count(report.restarts.unrecoverable)} unrecoverable`,
    `corruption events    ${count(s.corruptionEvents)} (${count(report.corruptedBytes)} bytes)`,
    `bytes copied         ${count(s.bytesCopied)} (${count(report.io.copyCycles)} cycles)`,
    `transfer pins        ${count(report.io.dmaPins)} (${count(report.io.dmaPinsIgnored)} ignored as hints), ${count(report.io.quotaRefusals)} refused by the quota`,
    `pinned frame-cycles  ${count(s.pinnedFrameCycles)} (pins acquired ${count(report.pins.acquired)}, released ${count(report.pins.released)})`,
    `split transfers      ${count(report.io.splitRequests)} (${count(report.io.pieces)} pieces)`,
    `clock ticks          ${count(report.clockTicks)}`,
    `simulated cycles     ${count(s.simulatedCycles)}`,
    `instructions         ${count(s.instructions)}`,
    `cpu idle cycles      ${count(report.idleCycles)} (every live process waiting), ${count(report.swapCycles)} stalled in swap transfers`,
    `host time            ${hostTime(report)}`,
  ];
  const lc = report.loadControl;
  if (lc.suspensions > 0) {
    lines.push(`load control         ${count(lc.suspensions)} suspensions, ${count(lc.resumes)} resumes, ${count(lc.pagesSwappedOut)} pages swapped out, ${count(lc.suspendedCycles)} cycles suspended`);
  }
  lines.push(...leakLines(report.lockLeaks));
  if (report.kernelMemory !== null) lines.push(...kernelLines(report.kernelMemory));
  if (report.ended !== 'all-ended') lines.push(`run stopped         ${stopWords[report.ended]}`);
  for (const p of report.processes) {
    const how = p.status === 'exited' ? `exit ${p.exitCode}` : p.status === 'killed' ? `killed: ${p.killed}` : 'still running when the run stopped';
    const when = p.endedAtCycle === null ? '' : `ended at cycle ${count(p.endedAtCycle)}, `;
    lines.push(`process ${p.pid} ${p.name}: ${how} (${when}${count(p.pageFaults)} page faults)`);
  }
  return lines.join('\n') + '\n';
}

/** How the summary says why a run stopped early. */
const stopWords: Readonly<Record<Exclude<RunReport['ended'], 'all-ended'>, string>> = {
  interrupted: 'interrupted (Ctrl-C)',
  'max-cycles': 'at the max-cycles bound',
  'kernel-panic': 'by a kernel panic',
};

/** The summary's lines on the kernel's own frames, and the panic, when there was one. */
function kernelLines(k: KernelMemoryReport): string[] {
  const lines = [
    `kernel frames        ${count(k.kernelFramesPeak)} at the peak (${k.mode}): ${count(k.supervisorFrames)} supervisor, ${count(k.bounceFrames)} bounce pool, ${count(k.frameTablePages)} frame table, ${count(k.pageTablePagesPeak)} page tables; ${count(k.framesForProcesses)} frame${k.framesForProcesses === 1 ? '' : 's'} for processes`,
  ];
  if (k.mode === 'pageable') {
    const first = k.firstKernelEvictionAt === null ? '' : `, the first at cycle ${count(k.firstKernelEvictionAt)}`;
    lines.push(`kernel paging        ${count(k.kernelPageIns)} kernel page-ins, ${count(k.kernelEvictions)} kernel pages evicted${first}, ${count(k.kernelFaultsServed)} kernel faults served (${count(k.bounceFaultsServed)} on the bounce pool, by a system call; the rest at dispatch)`);
  }
  if (k.panic !== null) lines.push(`kernel panic         at cycle ${count(k.panic.at)}: ${k.panic.message}`);
  return lines;
}

/** The leak audit for `--json`: everything but the per-tick samples (the kernel's report has those). */
function leakJson(leaks: LockLeakReport) {
  const { samples: _samples, ...rest } = leaks;
  return rest;
}

/** Leaked locks listed one a line in the summary; the rest are counted (`--json` lists them all). */
const leaksListed = 10;

/** The summary's lines on leaked locks: the injection, the diagnosis and the leaked locks themselves; none when there is nothing to say. */
function leakLines(leaks: LockLeakReport): string[] {
  const lines: string[] = [];
  const { injection } = leaks;
  if (injection !== null) {
    lines.push(`leak injection       ${injection.kind} at rate ${injection.rate} (seed ${injection.seed}): ${count(leaks.injected)} of ${count(leaks.releases)} releases skipped`);
  }
  if (leaks.leaks.length === 0) {
    if (injection !== null) lines.push(`lock audit           no leaked lock held at the end`);
    return lines;
  }
  const quarantined = leaks.quarantinedFrames === 1 ? '1 frame quarantined when its process ended' : `${count(leaks.quarantinedFrames)} frames quarantined when their processes ended`;
  lines.push(`lock audit           ${leaks.diagnosis}; ${quarantined}`);
  const frames = leaksByFrame(leaks.leaks);
  for (const { frame, locks, oldest } of frames.slice(0, leaksListed)) {
    const holder = oldest.pid === null ? `address space ${oldest.addressSpace}` : `process ${oldest.pid} ${oldest.process} (address space ${oldest.addressSpace})`;
    const held = locks === 1 ? `${oldest.reason} lock` : `${count(locks)} leaked locks, the oldest a ${oldest.reason} lock`;
    lines.push(`  frame ${frame}: ${held} of ${holder}, taken at cycle ${count(oldest.pinnedAt)}, held ${count(oldest.age)} cycles: ${oldest.why}`);
  }
  if (frames.length > leaksListed) lines.push(`  ... and ${count(frames.length - leaksListed)} more frames (--json lists every leaked lock)`);
  return lines;
}

/** Pages evicted before their process used them, and how many its own faults took, as far as the pager counts them. */
function wastedLine(wasted: number | null, self: number | null): string {
  if (wasted === null) return 'not counted by this pager';
  return self === null ? count(wasted) : `${count(wasted)} (${count(self)} lost to their own process's next fault)`;
}

/** The host time a run took, the one figure that differs between identical runs (`--json` prints it apart, on stderr). */
export function hostTime(report: RunReport): string {
  return `${report.hostMilliseconds.toFixed(0)} ms`;
}
