import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { admittedIds, type GraphNode } from '../model/index.ts';
import { compileWorkspace } from './compileWorkspace.ts';
import { rangeLabel } from './graphModel.ts';
import { explainInWorkspace } from './workspaceQueries.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));

const demo = compileWorkspace(demoFiles);

describe('compileWorkspace', () => {
  it('turns the demo into workload and external nodes with isolation flags', () => {
    const byId = new Map<string, GraphNode>(demo.model.nodes.map((n) => [n.id, n]));
    expect(byId.get('default/demo-db[StatefulSet]')).toMatchObject({
      ingressIsolated: true,
      egressIsolated: true,
    });
    expect(byId.get('default/demo[Deployment]')).toMatchObject({
      ingressIsolated: false,
      egressIsolated: false,
      pods: 1,
    });
    expect(byId.get('0.0.0.0-255.255.255.255[External]')).toMatchObject({
      type: 'external',
      label: '0.0.0.0/0',
    });
    expect(demo.problems).toEqual([]);
  });

  it('has exactly the edges the evaluator computes', () => {
    const edge = demo.model.edges.find(
      (e) => e.id === 'frontend/frontend[Deployment]->store/store-api[Deployment]',
    );
    expect(edge).toMatchObject({
      label: 'TCP 8080',
      all: false,
      ports: { TCP: [8080, 8080], UDP: [], SCTP: [] },
    });
    expect(demo.model.edges.some((e) => e.source === 'default/demo-db[StatefulSet]')).toBe(false);
  });

  it('summarises policies with the workloads they select and the peers they admit', () => {
    const storeApi = demo.model.policies.find((p) => p.id === 'store/store-api');
    expect(storeApi?.selects).toEqual(['store/store-api[Deployment]']);
    expect(admittedIds(demo.model, storeApi!).sort()).toEqual([
      'downstream-1/downstream-1[Deployment]',
      'downstream-2/downstream-2[Deployment]',
      'frontend/frontend[Deployment]',
    ]);
    expect(storeApi?.source).toMatchObject({ file: 'demo/policies.yaml', line: 22 });
  });

  it('compiles an edit incrementally to the same model as from scratch', () => {
    const policies = demoFiles.find((f) => f.path === 'demo/policies.yaml')!;
    const edits = [
      // A port changes; then a rule gains a line (later documents move down); then a policy goes.
      policies.text.replace('port: 8080', 'port: 9090'),
      policies.text.replace(
        '  policyTypes:\n    - Ingress\n    - Egress\n  ingress:',
        '  policyTypes:\n    - Ingress\n  ingress:',
      ),
      policies.text.slice(0, policies.text.lastIndexOf('---')),
    ];
    let previous = compileWorkspace(demoFiles);
    for (const text of edits) {
      expect(text).not.toBe(policies.text);
      const files = demoFiles.map((f) => (f === policies ? { ...f, text } : f));
      const next = compileWorkspace(files, {}, previous);
      // The workloads were shared: nothing but policies changed.
      expect(next.cluster.workloads).toBe(previous.cluster.workloads);
      const full = compileWorkspace(files);
      const byId = <T extends { id: string }>(list: readonly T[]) =>
        [...list].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(next.model.edges)).toEqual(byId(full.model.edges));
      expect(byId(next.model.nodes)).toEqual(byId(full.model.nodes));
      const withIds = (w: typeof next) =>
        w.model.policies.map((p) => ({ ...p, admits: admittedIds(w.model, p).sort() }));
      expect(withIds(next)).toEqual(withIds(full));
      expect(next.problems).toEqual(full.problems);
      previous = next;
    }
  });

  it('keeps the good files when one is broken, and reports the broken one', () => {
    const broken = compileWorkspace([
      ...demoFiles,
      { id: 'x', path: 'broken.yaml', text: 'kind: Pod\nmetadata: [\n' },
    ]);
    expect(broken.model.nodes.length).toBe(demo.model.nodes.length);
    expect(broken.problems).toMatchObject([{ file: 'broken.yaml', severity: 'error', code: 'yaml-syntax' }]);
  });

  it('explains an edge with the rule and its source line', () => {
    const result = explainInWorkspace(demo, 'frontend/frontend[Deployment]', 'store/store-api[Deployment]', {
      protocol: 'TCP',
      port: 8080,
    });
    expect(result?.verdict).toBe('allowed');
    expect(result?.ingress.allowedBy[0]).toMatchObject({ policy: 'store/store-api', rule: 0, peer: 0 });
    expect(result?.ingress.allowedBy[0]?.source?.file).toBe('demo/policies.yaml');
    const denied = explainInWorkspace(
      demo,
      'default/demo[Deployment]',
      'store/store-api[Deployment]',
      undefined,
    );
    expect(denied?.verdict).toBe('denied');
  });
});

describe('rangeLabel', () => {
  it.each([
    [0, 0xffffffff, '0.0.0.0/0'],
    [0x0a000000, 0x0affffff, '10.0.0.0/8'],
    [0x0a000000, 0x0a000004, '10.0.0.0-10.0.0.4'],
    [0x0a000001, 0x0a000001, '10.0.0.1/32'],
  ])('%i-%i is %s', (first, last, label) => {
    expect(rangeLabel(first, last)).toBe(label);
  });
});
