// Runs every check the project has, in order, and ends with one plain summary line
// ("N passed, N failed, N skipped") that CI logs and people can read at a glance.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const steps = [
  { name: 'typecheck', cmd: ['node', 'scripts/typecheck.mjs'] },
  { name: 'lint', cmd: ['npx', 'biome', 'check', '.'] },
  {
    name: 'unit + conformance',
    cmd: [
      'npx',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=.test-results/vitest.json',
    ],
    results: '.test-results/vitest.json',
  },
];

mkdirSync('.test-results', { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;
const failedSteps = [];
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.cmd.join(' ')}`);
  const result = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: 'inherit' });
  const ok = result.status === 0;
  if (step.results && existsSync(step.results)) {
    const report = JSON.parse(readFileSync(step.results, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  } else if (!step.results) {
    // A check without test counts (typecheck, lint) counts as one test.
    if (ok) passed++;
    else failed++;
  }
  if (!ok) failedSteps.push(step.name);
}
if (failedSteps.length > 0) console.log(`\nfailed steps: ${failedSteps.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
