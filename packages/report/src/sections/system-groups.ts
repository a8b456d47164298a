import type { SystemSweepLine } from '@pagelab/contracts';

/** The sum of `field` over the lines, and their mean. */
export function total(lines: readonly SystemSweepLine[], field: (line: SystemSweepLine) => number): number {
  let sum = 0;
  for (const line of lines) sum += field(line);
  return sum;
}

export function mean(lines: readonly SystemSweepLine[], field: (line: SystemSweepLine) => number): number {
  return lines.length === 0 ? 0 : total(lines, field) / lines.length;
}

/** The settings of a line other than the ones a section varies, as one readable label. */
export function settingsLabel(line: SystemSweepLine, except: readonly (keyof SystemSweepLine['key'])[]): string {
  const k = line.key;
  const parts: string[] = [];
  if (!except.includes('policy')) parts.push(`policy ${k.policy}`);
  if (!except.includes('restart')) parts.push(`${k.restart} restart`);
  if (!except.includes('cpuModel')) parts.push(k.cpuModel);
  if (!except.includes('io')) parts.push(`${k.io} I/O`);
  if (!except.includes('frames')) parts.push(`${k.frames} frames`);
  if (!except.includes('lockFreshPages')) parts.push(`fresh-page locks ${k.lockFreshPages ? 'on' : 'off'}`);
  return parts.join(', ');
}

/** "3 of 5": the outputs that came out right, of those checked. */
export function outputsCorrect(lines: readonly SystemSweepLine[]): string {
  const checked = total(lines, (l) => l.run.checkedOutputs);
  return checked === 0 ? 'not checked' : `${total(lines, (l) => l.run.correctOutputs)} of ${checked}`;
}
