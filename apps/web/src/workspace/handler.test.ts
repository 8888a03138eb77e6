import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { plan } from '@netpol-atlas/authoring';
import { ManifestCache } from '@netpol-atlas/manifests';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { filterGraph, fromWire, groupGraph, layoutInput, NO_FILTERS } from '../graph/index.ts';
import { hydrateModel } from '../model/index.ts';
import type { PlanJob } from './authoringProtocol.ts';
import { createHandler } from './handler.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));
const files = demoFiles.map(({ path, text }) => ({ path, text }));

const JOB: PlanJob = {
  kind: 'edge',
  intent: {
    src: { kind: 'workload', id: 'default/demo[Deployment]' },
    dst: { kind: 'workload', id: 'store/store-api[Deployment]' },
    ports: [{ protocol: 'TCP', port: 8080 }],
  },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the worker handler', () => {
  it('plans on the workspace the analysis compiled: the files are not parsed again', async () => {
    const expected = plan({ files, intent: JOB.intent });
    const handle = createHandler();
    await handle({ type: 'analyze', generation: 1, files: demoFiles, options: { cni: 'upstream' } });
    const parse = vi.spyOn(ManifestCache.prototype, 'parseFile');
    const reply = await handle({
      type: 'plan',
      generation: 1,
      files,
      job: JOB,
      cluster: { cni: 'upstream' },
    });
    expect(reply.type).toBe('plan');
    const result = reply.type === 'plan' ? reply.plan : undefined;
    expect(result).toEqual(expected);
    if (!result?.ok) throw new Error('the plan failed');
    // Only the plan's trial edit is parsed, on a fork.
    expect(parse.mock.calls.map(([f]) => f.path)).toEqual(result.edits.map((e) => e.path));
  });

  it('plans on a fork when the request holds other files or options, leaving the graph as it is', async () => {
    const handle = createHandler();
    const first = await handle({ type: 'analyze', generation: 1, files: demoFiles, options: {} });
    const flannel = await handle({
      type: 'plan',
      generation: 1,
      files,
      job: JOB,
      cluster: { cni: 'flannel' },
    });
    expect(flannel).toMatchObject({ plan: { ok: false, reason: 'already-allowed' } });
    const again = await handle({ type: 'analyze', generation: 2, files: demoFiles, options: {} });
    expect(again.type === 'analyze' && first.type === 'analyze' && again.model).toEqual(
      first.type === 'analyze' && first.model,
    );
  });

  it('reviews against the cluster ranges a findings request carries', async () => {
    const handle = createHandler();
    const egress = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: demo-out, namespace: default }
spec:
  podSelector: { matchLabels: { app: demo } }
  policyTypes: [Egress]
  egress:
    - to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.244.0.0/16] } }]
`;
    await handle({
      type: 'analyze',
      generation: 1,
      files: [...demoFiles, { id: 'out', path: 'out.yaml', text: egress }],
      options: { cni: 'upstream' },
    });
    const rules = async (networks?: { nodeCidrs: string[] }) => {
      const reply = await handle({ type: 'findings', generation: 1, ...(networks ? { networks } : {}) });
      return reply.type === 'findings' ? reply.findings.map((f) => f.rule) : [];
    };
    expect(await rules()).not.toContain('ipblock-covers-nodes');
    expect(await rules({ nodeCidrs: ['192.168.0.0/24'] })).toContain('ipblock-covers-nodes');
  });

  it('diffs the documents against the baseline on the same compiled state', async () => {
    const handle = createHandler();
    await handle({ type: 'analyze', generation: 1, files: demoFiles, options: {} });
    const planned = plan({ files, intent: JOB.intent });
    if (!planned.ok) throw new Error(planned.message);
    const after = files.map((f) => ({
      path: f.path,
      text: planned.edits.find((e) => e.path === f.path)?.after ?? f.text,
    }));
    const reply = await handle({ type: 'diff', generation: 1, before: files, after, cluster: {} });
    expect(reply).toMatchObject({
      type: 'diff',
      diff: {
        changes: [
          {
            type: 'added',
            src: 'default/demo[Deployment]',
            dst: 'store/store-api[Deployment]',
            after: 'TCP 8080',
          },
        ],
      },
    });
  });

  it('sends the overview with its layout input, as the page would read it, expanding one namespace after another', async () => {
    const handle = createHandler();
    const analysed = await handle({ type: 'analyze', generation: 1, files: demoFiles, options: {} });
    if (analysed.type !== 'analyze') throw new Error('no analysis');
    const model = hydrateModel(analysed.model);
    const namespaces = model.namespaces.map((n) => n.name);
    for (const [k, collapsed] of [
      namespaces,
      namespaces.slice(1),
      namespaces.slice(2),
      namespaces,
    ].entries()) {
      const reply = await handle({
        type: 'overview',
        generation: k + 1,
        revision: analysed.model.revision,
        filters: NO_FILTERS,
        collapsed,
        extra: undefined,
      });
      if (reply.type !== 'overview' || !reply.graph) throw new Error('no overview');
      const graph = fromWire(reply.graph);
      expect(graph).toEqual(groupGraph(filterGraph(model, NO_FILTERS), new Set(collapsed)));
      expect(reply.layout).toEqual(layoutInput(graph));
    }
    const stale = await handle({
      type: 'overview',
      generation: 9,
      revision: analysed.model.revision - 1,
      filters: NO_FILTERS,
      collapsed: [],
      extra: undefined,
    });
    expect(stale).toMatchObject({ graph: undefined, layout: undefined });
  });
});
