import { formatCount, type SystemSweepLine } from '@pagelab/contracts';
import { renderChart } from '../chart.js';
import { distinct, groupBy, htmlTable } from '../html.js';
import type { ReportBlock, ReportSection } from '../section.js';
import { outputsCorrect, total } from './system-groups.js';

const killed = (l: SystemSweepLine) => l.run.processes.filter((p) => p.killed !== null).length;

function scenarioBlock(scenario: string, lines: readonly SystemSweepLine[], index: number): ReportBlock {
  const pairs = [...groupBy(lines, (l) => `${l.key.restart} · ${l.key.cpuModel}`)];
  const categories = pairs.map(([label]) => label);
  const counts = [
    { name: 'restarted', value: (l: SystemSweepLine) => l.run.restarts },
    { name: 'ambiguous', value: (l: SystemSweepLine) => l.run.ambiguousRestarts },
    { name: 'unrecoverable', value: (l: SystemSweepLine) => l.run.unrecoverableRestarts },
    { name: 'processes killed', value: killed },
  ];
  const chart = renderChart({
    id: `backup-${index}`,
    title: `Instruction backup: ${scenario}`,
    xName: 'restart strategy · CPU fault model',
    yName: 'instructions (all runs)',
    categories,
    series: counts.map((c) => ({ name: c.name, kind: 'bar', points: pairs.map(([, runs], i) => [i, total(runs, c.value)] as const) })),
  });
  const rows = pairs.map(([, runs]) => [runs[0]!.key.restart, runs[0]!.key.cpuModel, runs.length, ...counts.map((c) => total(runs, c.value)), outputsCorrect(runs)]);
  const findings = pairs.map(([label, runs]) => {
    const ambiguous = total(runs, (l) => l.run.ambiguousRestarts);
    const unrecoverable = total(runs, (l) => l.run.unrecoverableRestarts);
    const restarted = total(runs, (l) => l.run.restarts);
    if (ambiguous + unrecoverable === 0) return `${label}: all ${formatCount(restarted)} faulting instructions were backed up to one start; outputs correct: ${outputsCorrect(runs)}.`;
    return `${label}: of ${formatCount(restarted)} backups, ${formatCount(ambiguous)} were ambiguous and ${formatCount(unrecoverable)} unrecoverable; ${total(runs, killed)} processes were killed; outputs correct: ${outputsCorrect(runs)}.`;
  });
  return {
    heading: scenario,
    charts: [chart],
    table: htmlTable('Backups summed over the runs of each restart strategy and CPU fault model', ['restart', 'CPU model', 'runs', ...counts.map((c) => c.name), 'outputs correct'], rows),
    findings,
  };
}

/** Instruction-backup outcomes per restart strategy and CPU fault model, for each scenario that ran more than one pair. */
export function instructionBackupSection(lines: readonly SystemSweepLine[]): ReportSection | null {
  const scenarios = [...groupBy(lines, (l) => l.key.scenario)].filter(([, group]) => distinct(group.map((l) => `${l.key.restart}/${l.key.cpuModel}`)).length > 1);
  if (scenarios.length === 0) return null;
  return {
    id: 'instruction-backup',
    title: 'Instruction backup',
    intro: 'How each restart strategy backed up instructions that page-faulted partway through, under each CPU fault model: restarted at one start, ambiguous (more than one start consistent with what the fault frame shows), or unrecoverable; and what became of the programs.',
    blocks: scenarios.map(([scenario, group], i) => scenarioBlock(scenario, group, i)),
  };
}
