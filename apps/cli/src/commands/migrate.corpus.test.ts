// Realistic inputs: every netpol-analyzer corpus directory with an AdminNetworkPolicy or a
// BaselineAdminNetworkPolicy (read in place) goes through `netpol migrate`, under upstream
// semantics and under netpol-analyzer's reading. Each run must prove the converted set
// equivalent (no connection differs), and account for every v1alpha1 object: converted to a
// ClusterNetworkPolicy, or left as it is with an `invalid-source` error (the API server refuses it).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type KubeObject, parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../../../../conformance/corpus.ts';
import { runCli } from '../cli.ts';
import { captureIO } from '../nodeIO.ts';

const TESTS = join(CORPUS_DIR, 'tests');
const LEGACY = /^kind:\s*(Baseline)?AdminNetworkPolicy\s*$/m;

function manifestFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return manifestFiles(path);
      return /\.(ya?ml|json)$/i.test(name) ? [path] : [];
    });
}

const CASES = readdirSync(TESTS)
  .sort()
  .filter((dir) => manifestFiles(join(TESTS, dir)).some((file) => LEGACY.test(readFileSync(file, 'utf8'))));

const isLegacy = (o: KubeObject) =>
  o.kind === 'AdminNetworkPolicy' || o.kind === 'BaselineAdminNetworkPolicy';

describe.each([
  ['upstream', []],
  ['netpol-analyzer', ['--compat', 'netpol-analyzer']],
])('netpol migrate over the corpus (%s reading)', (_reading, flags) => {
  it('finds the corpus’ tier cases', () => {
    expect(CASES.length).toBeGreaterThan(50);
  });

  it.each(CASES)('%s', async (name) => {
    const dir = join(TESTS, name);
    const out = join('/nonexistent-netpol-migrate-out', name);
    const io = captureIO();
    const code = await runCli(['migrate', '--dirpath', dir, '-o', out, '-q', ...flags], io);
    expect(io.out).toMatch(/^equivalence: proven \(\d+ connections identical, none differs\)$/m);

    const before = parseManifests(
      manifestFiles(dir).map((path) => ({ path, text: readFileSync(path, 'utf8') })),
    );
    const after = parseManifests([...io.files].map(([path, text]) => ({ path, text })));
    const legacyBefore = before.objects.filter(isLegacy).length;
    const leftAsTheyAre = after.objects.filter(isLegacy).length;
    const refused = io.out.match(/^ {2}error {3}.*\[invalid-source\]$/gm) ?? [];
    const converted = Number(/^converted (\d+) /m.exec(io.out)?.[1]);
    expect(leftAsTheyAre).toBe(refused.length);
    expect(converted + leftAsTheyAre).toBe(legacyBefore);
    const cnps = (r: typeof before) => r.objects.filter((o) => o.kind === 'ClusterNetworkPolicy').length;
    expect(cnps(after)).toBe(cnps(before) + converted);
    // Every file of the input is in the output, at its path relative to the input directory.
    expect([...io.files.keys()].map((p) => p.slice(out.length + 1)).sort()).toEqual(
      manifestFiles(dir)
        .map((p) => p.slice(dir.length + 1))
        .sort(),
    );
    // Exit 1 exactly when an issue is an error (something not converted exactly).
    expect(code).toBe(/^ {2}error {3}/m.test(io.out) ? 1 : 0);
  });
});
