// pnpm docs:reports          rewrites docs/reports (each shipped sweep's lines, its report page, the README's chart)
// pnpm docs:reports --check  only says which files differ (status 1), writing nothing
import { mkdirSync, writeFileSync } from 'node:fs';
import { reportFiles, reportsDir } from './reports.mjs';

const check = process.argv.includes('--check');
let stale = 0;
mkdirSync(reportsDir, { recursive: true });
for (const file of reportFiles()) {
  if (file.generated === file.committed) {
    console.log(`docs/reports/${file.name}: up to date`);
    continue;
  }
  stale++;
  if (check) console.log(`docs/reports/${file.name}: differs from what the code gives now; run pnpm docs:reports`);
  else {
    writeFileSync(file.path, file.generated);
    console.log(`docs/reports/${file.name}: regenerated`);
  }
}
process.exitCode = check && stale > 0 ? 1 : 0;
