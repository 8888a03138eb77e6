import { readdirSync, readFileSync } from 'node:fs';
import { applyFileEdits, plan, planRemoval } from '@netpol-atlas/authoring';
import type { SourceFile } from '@netpol-atlas/manifests';
import { Workspace } from '@netpol-atlas/workspace';
import { describe, expect, it } from 'vitest';
import type { GroupedGraph } from '../graph/index.ts';
import { rangeNode as external, workloadNode as workload } from '../model/nodes.test-helper.ts';
import { type ConnectionChangeView, diffConnectivity } from '../workspace/connectivityDiff.ts';
import { markDiff } from './diffOverlay.ts';

function demo(): { path: string; text: string }[] {
  const dir = new URL('../../../../public/demo/', import.meta.url);
  return readdirSync(dir)
    .sort()
    .map((name) => ({ path: `demo/${name}`, text: readFileSync(new URL(name, dir), 'utf8') }));
}

/** The view of `after` diffed against `before`, as the worker makes it. */
function diffOf(before: readonly SourceFile[], after: readonly SourceFile[]) {
  const options = { admission: 'all' as const };
  return diffConnectivity(new Workspace(after, options).diff(new Workspace(before, options))!.diff);
}

const DEMO = 'default/demo[Deployment]';
const STORE_API = 'store/store-api[Deployment]';
const FRONTEND = 'frontend/frontend[Deployment]';

describe('diffConnectivity', () => {
  it('reports exactly the drawn edge as added after accepting its plan', () => {
    const baseline = demo();
    const result = plan({
      files: baseline,
      intent: {
        src: { kind: 'workload', id: DEMO },
        dst: { kind: 'workload', id: STORE_API },
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    });
    if (!result.ok) throw new Error(result.message);
    const diff = diffOf(baseline, applyFileEdits(baseline, result.edits));
    expect(diff.changes).toEqual([
      { type: 'added', src: DEMO, dst: STORE_API, before: 'No Connections', after: 'TCP 8080' },
    ]);
    expect(diff.unchanged).toBeGreaterThan(0);
  });

  it('reports a removed edge', () => {
    const baseline = demo();
    const result = planRemoval(baseline, {
      src: { kind: 'workload', id: FRONTEND },
      dst: { kind: 'workload', id: STORE_API },
    });
    if (!result.ok) throw new Error(result.message);
    const diff = diffOf(baseline, applyFileEdits(baseline, result.edits));
    expect(diff.changes).toEqual([
      { type: 'removed', src: FRONTEND, dst: STORE_API, before: 'TCP 8080', after: 'No Connections' },
    ]);
  });
});

describe('markDiff', () => {
  const graph: GroupedGraph = {
    groups: [
      { id: 'ns:a', namespace: 'a', collapsed: false, size: 2, unprotected: 0 },
      { id: 'ns:b', namespace: 'b', collapsed: true, size: 2, unprotected: 0 },
    ],
    nodes: [
      workload('a/one[Deployment]'),
      workload('a/two[Deployment]'),
      external('10.0.0.0-10.255.255.255[External]'),
    ],
    edges: [],
  };
  const change = (type: ConnectionChangeView['type'], src: string, dst: string): ConnectionChangeView => ({
    type,
    src,
    dst,
    before: type === 'added' ? 'No Connections' : 'TCP 80',
    after: type === 'removed' ? 'No Connections' : 'TCP 443',
  });

  it('marks edges between drawn nodes, collapsed namespaces and overlapping ranges', () => {
    const marks = markDiff(graph, [
      change('added', 'a/one[Deployment]', 'a/two[Deployment]'),
      change('removed', 'b/x[Deployment]', 'a/one[Deployment]'),
      change('removed', 'b/y[Deployment]', 'a/one[Deployment]'),
      change('added', 'a/two[Deployment]', '10.1.0.0-10.1.255.255[External]'),
      change('changed', 'b/x[Deployment]', 'b/y[Deployment]'),
      change('added', 'hidden/z[Deployment]', 'a/one[Deployment]'),
    ]);
    expect(marks.map((m) => [m.id, m.mark, m.label])).toEqual([
      ['a/one[Deployment]->a/two[Deployment]', 'added', '+ TCP 443'],
      ['ns:b->a/one[Deployment]', 'removed', '2 changes'],
      ['a/two[Deployment]->10.0.0.0-10.255.255.255[External]', 'added', '+ TCP 443'],
    ]);
  });

  it('calls an edge changed when its changes disagree', () => {
    const marks = markDiff(graph, [
      change('added', 'b/x[Deployment]', 'a/one[Deployment]'),
      change('removed', 'b/y[Deployment]', 'a/one[Deployment]'),
    ]);
    expect(marks.map((m) => [m.mark, m.label])).toEqual([['changed', '2 changes']]);
  });
});
