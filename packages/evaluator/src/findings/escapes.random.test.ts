// The what-if on random clusters: every reported change is exact and minimal, and no single-label
// change the evaluator says would open something is missing from the report.

import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../cluster.ts';
import { type ConnectionSet, isEmptyConnections, subtractConnections } from '../connectionSet.ts';
import { NAMESPACE_NAME_LABEL } from '../model.ts';
import { toYaml } from '../testing/clusterYaml.ts';
import { NS_LABELS, POD_LABELS, randomCluster } from '../testing/randomCluster.ts';
import type { LabelEdit } from './labelCandidates.ts';
import type { LabelOpening } from './whatIf.ts';
import { editOf, gainMap, type Input, minimalityProblems, run } from './whatIfTesting.ts';

const SEEDS = Array.from({ length: 16 }, (_, i) => i + 1);

/** Every one-label edit over `current`: remove a label it has, or give a key each known value or another. */
function singleEdits(
  current: Readonly<Record<string, string>>,
  known: Record<string, readonly string[]>,
): LabelEdit[] {
  const keys = new Set([...Object.keys(known), ...Object.keys(current)]);
  keys.delete(NAMESPACE_NAME_LABEL);
  const out: LabelEdit[] = [];
  for (const key of keys) {
    if (Object.hasOwn(current, key)) out.push({ [key]: null });
    for (const value of [...(known[key] ?? []), 'unnamed'])
      if (current[key] !== value) out.push({ [key]: value });
  }
  return out;
}

function reportedGains(o: LabelOpening): Map<string, ConnectionSet> {
  return new Map([
    ...o.opens.map((t) => [`-> ${t.peer}`, t.conn] as const),
    ...o.exposes.map((t) => [`<- ${t.peer}`, t.conn] as const),
  ]);
}

function covers(reported: Map<string, ConnectionSet>, gains: Map<string, ConnectionSet>): boolean {
  return [...gains].every(([key, conn]) => {
    const mine = reported.get(key);
    return mine !== undefined && isEmptyConnections(subtractConnections(conn, mine));
  });
}

describe('what-if on random clusters', () => {
  it.each(SEEDS)(
    'seed %i: exact, minimal, and complete for single-label changes',
    (seed) => {
      const model = randomCluster(seed);
      const parsed = parseManifests([{ path: `seed-${seed}.yaml`, text: toYaml(model) }]);
      const input: Input = { cluster: buildCluster(parsed.objects, model.options), objects: parsed.objects };
      const workloads = input.cluster.workloads.filter((_, i) => i % 3 === seed % 3).slice(0, 3);
      for (const w of workloads) {
        const result = run(input, w.id)!;
        expect(minimalityProblems(input, result), w.id).toEqual([]);
        const namespaceLabels = input.cluster.namespaces.get(w.namespace)!.labels;
        for (const [mode, current, known, list, search] of [
          ['pod', w.labels, POD_LABELS, result.withPodLabels, result.search.pod],
          ['namespace', namespaceLabels, NS_LABELS, result.withNamespaceLabels, result.search.namespace],
        ] as const) {
          if (search.untried > 0) continue;
          for (const edit of singleEdits(current, known)) {
            const gains = gainMap(input, w.id, mode, edit);
            if (gains.size === 0) continue;
            const [key] = Object.keys(edit);
            const found = list.some(
              (o) => Object.keys(editOf(o)).every((k) => k === key) && covers(reportedGains(o), gains),
            );
            expect(
              found,
              `${w.id} ${mode} ${JSON.stringify(edit)} opens ${[...gains.keys()].join(', ')}`,
            ).toBe(true);
          }
        }
      }
    },
    120_000,
  );
});
