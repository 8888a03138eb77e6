// `pnpm lint`: every static check of the repository, in one place so that `pnpm lint` and the
// lint step of `pnpm test` (CI) can never drift apart. Runs them all, then fails if any failed.
//   node scripts/lint.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const CRUISED = ['packages', 'apps', 'bench', 'conformance', 'e2e', 'scripts'];

/**
 * The pure packages must not see the DOM or Node even as ambient types: a package tsconfig that
 * leaves `lib` unset gets TypeScript's default lib, which includes the DOM, and one that leaves
 * `types` unset sees every installed `@types/*` (Node's among them). Imports are checked by
 * dependency-cruiser; this checks what TypeScript lets a package use without an import.
 */
function checkPackageEnvironment() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const problems = [];
  for (const name of readdirSync('packages')) {
    const project = join('packages', name, 'tsconfig.json');
    if (!existsSync(project)) {
      problems.push(`${project} is missing: a package needs its own lib and types`);
      continue;
    }
    const shown = spawnSync(process.execPath, [tsc, '--showConfig', '-p', project], { encoding: 'utf8' });
    if (shown.status !== 0) {
      problems.push(`${project}: tsc --showConfig failed\n${shown.stdout}${shown.stderr}`);
      continue;
    }
    const { lib, types } = JSON.parse(shown.stdout).compilerOptions ?? {};
    if (!Array.isArray(lib)) problems.push(`${project}: set "lib" (the default one includes the DOM)`);
    for (const entry of lib ?? []) {
      if (/dom|webworker|scripthost/i.test(entry))
        problems.push(`${project}: lib "${entry}" (no DOM in packages)`);
    }
    if (!Array.isArray(types))
      problems.push(`${project}: set "types" (unset, every @types package is visible)`);
    for (const entry of types ?? []) {
      if (/^(@types\/)?(node|bun|deno)$|dom|react|vite/i.test(entry)) {
        problems.push(`${project}: types "${entry}" (packages see neither Node nor the DOM)`);
      }
    }
  }
  for (const problem of problems) console.error(problem);
  if (problems.length === 0) console.log('packages/*/tsconfig.json: no DOM or Node types');
  return problems.length === 0;
}

/** Runs a command with inherited output; true when it succeeded. */
function run(cmd) {
  return spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit' }).status === 0;
}

const checks = [
  { name: 'format and lint (Biome)', run: () => run(['npx', 'biome', 'check', '.']) },
  {
    name: 'dependency boundaries (dependency-cruiser, .dependency-cruiser.mjs)',
    run: () => run(['npx', 'depcruise', '--config', '.dependency-cruiser.mjs', ...CRUISED]),
  },
  { name: 'package environments (tsconfig lib and types)', run: checkPackageEnvironment },
  // Tests count as users here, and so do a package's own index exports: an export nobody
  // imports, a package export included, is dead.
  {
    name: 'unused files, exports and dependencies (knip)',
    run: () => run(['npx', 'knip', '--include-entry-exports']),
  },
  // Production code only: what only tests still use is dead too (move it into the tests).
  // A package's index may serve other workspaces' tests, so its exports are not checked here.
  {
    name: 'code only tests use (knip --production)',
    run: () => run(['npx', 'knip', '--production', '--include', 'files,exports']),
  },
];

const failed = [];
for (const check of checks) {
  console.log(`\n--- ${check.name}`);
  if (!check.run()) failed.push(check.name);
}
if (failed.length > 0) {
  console.error(`\nlint failed: ${failed.join('; ')}`);
  process.exit(1);
}
console.log('\nlint: all checks passed');
