// Writes the app's bundled 50-workload sample from the seeded generator:
//   pnpm tsx bench/makeSample.ts
// The output is committed so the static build can bundle it; rerun after changing the generator.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateCluster } from './synthetic.ts';

const dir = fileURLToPath(new URL('../public/samples/fifty-workloads/', import.meta.url));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const files = generateCluster({ namespaces: 10, workloads: 50, podsPerWorkload: 2, policies: 40, seed: 50 });
for (const file of files) writeFileSync(`${dir}${file.path.replaceAll('/', '_')}`, file.text);
console.log(`wrote ${files.length} files to ${dir}`);
