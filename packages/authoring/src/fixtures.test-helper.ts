// What the authoring tests share: the demo's files, and an answer the planner does not give
// (what the evaluator allows between two peers), so a plan is checked independently of itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyze,
  buildCluster,
  explainConnection,
  findPeer,
  formatConnectionSet,
  isFatal,
} from '@netpol-atlas/evaluator';
import { parseManifests, type SourceFile } from '@netpol-atlas/manifests';
import { expect } from 'vitest';
import type { Plan, PlanOk } from './types.ts';

const DEMO_DIR = join(import.meta.dirname, '../../../public/demo');

/** The demo's manifests, in file-name order. */
export const demo: SourceFile[] = readdirSync(DEMO_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ path: f, text: readFileSync(join(DEMO_DIR, f), 'utf8') }));

/** Independently of the planner: what the evaluator allows between two peers in these files. */
export function allowed(files: readonly SourceFile[], src: string, dst: string): string {
  const cluster = buildCluster(parseManifests(files).objects);
  expect(cluster.diagnostics.filter(isFatal)).toEqual([]);
  analyze(cluster);
  const s = findPeer(cluster, src);
  const d = findPeer(cluster, dst);
  if (!s || !d) throw new Error(`no peer ${src} or ${dst}`);
  return formatConnectionSet(explainConnection(cluster, s, d).conn);
}

/** The plan, or a thrown error saying why it failed (so a test reads as the plan it expects). */
export function expectOk(result: Plan): PlanOk {
  if (!result.ok) throw new Error(`plan failed: ${result.reason}: ${result.message}`);
  return result;
}
