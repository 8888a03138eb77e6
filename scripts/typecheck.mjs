// Type-checks every workspace project with its own tsconfig, so each keeps its own `lib`
// (package sources have no DOM and no Node types; their tests and the apps add what they need).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const projects = ['packages', 'apps']
  .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
  .concat(['bench', 'scripts', 'conformance', 'e2e', 'packaging/npm'])
  .flatMap((dir) => ['tsconfig.json', 'tsconfig.test.json'].map((file) => join(dir, file)))
  .filter((file) => existsSync(file));

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
let failed = 0;
for (const project of projects) {
  const result = spawnSync(process.execPath, [tsc, '-p', project, '--pretty'], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`typecheck: ${failed} of ${projects.length} projects failed`);
  process.exit(1);
}
console.log(`typecheck: ${projects.length} projects clean`);
