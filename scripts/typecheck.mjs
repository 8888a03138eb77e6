// Type-checks every workspace project with its own tsconfig, so each keeps its own `lib`
// (packages have no DOM and no Node types; apps add what they need).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const projects = ['packages', 'apps']
  .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
  .concat(['bench', 'scripts'])
  .filter((dir) => existsSync(join(dir, 'tsconfig.json')));

let failed = 0;
for (const project of projects) {
  const result = spawnSync('tsc', ['-p', project, '--pretty'], { stdio: 'inherit', shell: false });
  if (result.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`typecheck: ${failed} of ${projects.length} projects failed`);
  process.exit(1);
}
console.log(`typecheck: ${projects.length} projects clean`);
