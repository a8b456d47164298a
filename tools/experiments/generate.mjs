// pnpm docs:experiments          rewrites the generated tables in docs/experiments/*.md and docs/labs/*.md
// pnpm docs:experiments --check  only says which documents differ (status 1), writing nothing
import { writeFileSync } from 'node:fs';
import { experimentDocuments } from './experiments.mjs';

const check = process.argv.includes('--check');
let stale = 0;
for (const doc of await experimentDocuments()) {
  if (doc.generated === doc.committed) {
    console.log(`${doc.name}: up to date (${doc.blocks} tables)`);
    continue;
  }
  stale++;
  if (check) console.log(`${doc.name}: differs from what the code prints now; run pnpm docs:experiments`);
  else {
    writeFileSync(doc.path, doc.generated);
    console.log(`${doc.name}: regenerated ${doc.blocks} tables`);
  }
}
process.exitCode = check && stale > 0 ? 1 : 0;
