import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeChart, repoRoot, reportFiles, reportedSweeps } from './reports.mjs';

describe('docs/reports', () => {
  it('holds exactly what each shipped sweep and its report give now (pnpm docs:reports regenerates them)', () => {
    const files = reportFiles();
    expect(files.length).toBe(2 * reportedSweeps().length + 1);
    for (const file of files) expect(file.committed, `docs/reports/${file.name} is stale: run pnpm docs:reports`).toBe(file.generated);
  }, 1_800_000);

  it('shows the README\'s chart from the report it is cut from', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`](docs/reports/${readmeChart.file})`);
    expect(readme).toContain(`](docs/reports/${readmeChart.report}.html)`);
  });
});
