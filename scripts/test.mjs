// Runs every check the project has, in order, and ends with one plain summary line
// ("N passed, N failed, N skipped") that CI logs and people can read at a glance.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Browser tests need Debian's Chromium (Playwright cannot download browsers here). */
function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  if (process.getuid?.() !== 0) {
    console.error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (needs root)`);
    return false;
  }
  console.log('=== installing Chromium for the browser tests (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  return update.status === 0 && install.status === 0 && existsSync(CHROMIUM);
}

const steps = [
  { name: 'typecheck', cmd: ['node', 'scripts/typecheck.mjs'] },
  { name: 'lint', cmd: ['node', 'scripts/lint.mjs'] },
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
  {
    // Packs the npm package, installs the tarball into an empty folder and runs its bins.
    name: 'npm package (pack + smoke)',
    cmd: [
      'npx',
      'vitest',
      'run',
      '--config',
      'packaging/npm/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=.test-results/package.json',
    ],
    results: '.test-results/package.json',
  },
  {
    name: 'e2e (Playwright, Chromium)',
    cmd: ['npx', 'playwright', 'test'],
    results: '.test-results/playwright.json',
    before: ensureChromium,
  },
];

/** Test counts from a Vitest (Jest-style) or Playwright JSON report. */
function readCounts(report) {
  if (report.stats) {
    const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats;
    return { passed: expected + flaky, failed: unexpected, skipped };
  }
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

mkdirSync('.test-results', { recursive: true });
// Stale reports from an earlier run must never be counted.
for (const step of steps) if (step.results) rmSync(step.results, { force: true });
let passed = 0;
let failed = 0;
let skipped = 0;
const failedSteps = [];
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.cmd.join(' ')}`);
  if (step.before && !step.before()) {
    failedSteps.push(step.name);
    failed++;
    continue;
  }
  const result = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: 'inherit' });
  const ok = result.status === 0;
  if (step.results && existsSync(step.results)) {
    const counts = readCounts(JSON.parse(readFileSync(step.results, 'utf8')));
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
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
