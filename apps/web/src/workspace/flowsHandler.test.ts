import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Workspace } from '@netpol-atlas/workspace';
import { describe, expect, it } from 'vitest';
import { APP_WORKSPACE_OPTIONS } from './compileWorkspace.ts';
import { createFlowsHandler, type FlowImportStep, type FlowsResponse } from './flowsHandler.ts';
import { createHandler } from './handler.ts';

const PUBLIC = fileURLToPath(new URL('../../../../public/', import.meta.url));
const demo = readdirSync(`${PUBLIC}demo/`)
  .sort()
  .map((name) => ({ path: `demo/${name}`, text: readFileSync(`${PUBLIC}demo/${name}`, 'utf8') }));
const hubble = readFileSync(`${PUBLIC}flows/demo.hubble.jsonl`, 'utf8');

const FRONTEND = 'frontend/frontend[Deployment]';
const STORE_API = 'store/store-api[Deployment]';

function setUp() {
  const workspace = new Workspace(demo, APP_WORKSPACE_OPTIONS);
  let generation = 0;
  const handle = createFlowsHandler(() => workspace);
  const step = (s: FlowImportStep) => handle({ type: 'flowsImport', generation: ++generation, step: s });
  const report = () => {
    const reply = handle({ type: 'flowsReport', generation: ++generation });
    if (reply.type !== 'flowsReport') throw new Error(`unexpected ${reply.type}`);
    return reply.view;
  };
  return { workspace, handle, step, report, next: () => ++generation };
}

/** Feeds text in pieces of `size` characters, as the page does with a file's chunks. */
function importText(step: (s: FlowImportStep) => FlowsResponse, id: number, text: string, size: number) {
  step({ id, kind: 'start', name: 'capture.jsonl' });
  for (let i = 0; i < text.length; i += size) step({ id, kind: 'chunk', text: text.slice(i, i + size) });
  return step({ id, kind: 'end' });
}

describe('the flows handler', () => {
  it('reads a file streamed in chunks and judges it by the compiled workspace', () => {
    const { step, report } = setUp();
    expect(report()).toBeUndefined();
    const end = importText(step, 1, hubble, 997);
    expect(end).toMatchObject({ type: 'flowsImport', progress: { lines: 78, records: 62 } });
    const view = report()!;
    expect(view.totals).toMatchObject({
      records: 62,
      observedAllowed: 5,
      observedDenied: 2,
      deniedConnections: 6,
    });
    expect(view.window).toEqual({
      first: Date.parse('2025-12-01T10:01:16Z'),
      last: Date.parse('2025-12-01T10:29:18Z'),
    });
    expect(view.skipped.reply).toBe(16);
    expect(view.unmatched.records).toBe(6);
    const denied = view.flows.find((f) => f.src === FRONTEND && f.dst === STORE_API && f.port === 9090)!;
    expect(denied).toMatchObject({ denied: true, deniedBy: ['ingress'], count: 3 });
    const ingress = denied.rules.find((r) => r.side === 'ingress')!;
    expect(ingress).toMatchObject({ layer: 'NetworkPolicy', policies: ['store/store-api'], action: 'deny' });
    expect(ingress.source?.file).toBe('demo/policies.yaml');
    // An external end keeps its address for the page, and names the range it falls in.
    const external = view.flows.find((f) => f.dstAddress === '52.94.76.10')!;
    expect(external.dst).toMatch(/\[External\]$/);
  });

  it('judges the flows again by each new revision: a policy edit changes the verdicts', () => {
    const { workspace, step, report } = setUp();
    importText(step, 1, hubble, 1 << 20);
    expect(report()!.totals.observedDenied).toBe(2);
    const policies = demo.find((f) => f.path === 'demo/policies.yaml')!;
    // Dropping every policy of the store API allows what it denied.
    const kept = policies.text
      .split(/^---$/m)
      .filter((doc) => !/name: store-api\n\s+namespace: store/.test(doc))
      .join('---');
    workspace.setFiles(demo.map((f) => (f === policies ? { ...f, text: kept } : f)));
    expect(report()!.totals.observedDenied).toBe(0);
  });

  it('matches the flows again when the workloads change', () => {
    const { workspace, step, report } = setUp();
    importText(step, 1, hubble, 1 << 20);
    expect(report()!.unmatched.records).toBe(6);
    const dns = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  selector:
    matchLabels: { k8s-app: kube-dns }
  template:
    metadata:
      labels: { k8s-app: kube-dns }
    spec:
      containers: [{ name: coredns, image: coredns }]
`;
    workspace.setFiles([...demo, { path: 'dns.yaml', text: dns }]);
    const view = report()!;
    expect(view.unmatched.records).toBe(0);
    expect(view.totals.records).toBe(62);
    expect(view.flows.some((f) => f.dst === 'kube-system/coredns[Deployment]' && f.port === 53)).toBe(true);
  });

  it('lists bad lines with their number and loads the rest', () => {
    const { step, report } = setUp();
    const lines = hubble.split('\n');
    const broken = [lines[0], '{"flow": {"verdict":', 'hello', ...lines.slice(1)].join('\n');
    importText(step, 1, broken, 50);
    const view = report()!;
    expect(view.diagnostics.map((d) => [d.line, d.code])).toEqual([
      [2, 'invalid-json'],
      [3, 'unknown-format'],
    ]);
    expect(view.totals.records).toBe(62);
  });

  it('drops a cancelled import and ignores the steps of an import it replaced', () => {
    const { step, report } = setUp();
    importText(step, 1, hubble, 1 << 20);
    step({ id: 2, kind: 'start', name: 'other.jsonl' });
    step({ id: 2, kind: 'chunk', text: hubble.slice(0, 2000) });
    step({ id: 2, kind: 'cancel' });
    // A late step of the cancelled import changes nothing.
    step({ id: 2, kind: 'end' });
    expect(report()).toMatchObject({ name: 'capture.jsonl', totals: { records: 62 } });
    step({ id: 3, kind: 'start', name: 'third.jsonl' });
    step({ id: 2, kind: 'chunk', text: hubble });
    step({ id: 3, kind: 'end' });
    expect(report()).toMatchObject({ name: 'third.jsonl', totals: { records: 0 } });
  });

  it('tells what a change does to the observed flows: newly denied, newly allowed', () => {
    const { handle, step, next } = setUp();
    importText(step, 1, hubble, 1 << 20);
    const deny = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-ingress, namespace: downstream-2 }
spec: { podSelector: {}, policyTypes: [Ingress] }
`;
    const reply = handle({
      type: 'flowsImpact',
      generation: next(),
      before: demo,
      after: [...demo, { path: 'deny.yaml', text: deny }],
      cluster: {},
    });
    if (reply.type !== 'flowsImpact') throw new Error(reply.type);
    expect(reply.impact!.newlyDenied.map((f) => `${f.src} -> ${f.dst} ${f.protocol}/${f.port}`)).toEqual([
      `${STORE_API} -> downstream-2/downstream-2[Deployment] TCP/8080`,
    ]);
    expect(reply.impact!.newlyDeniedConnections).toBe(6);
    expect(reply.impact!.newlyAllowed).toEqual([]);
    // The other way round, the same flow is newly allowed.
    const back = handle({
      type: 'flowsImpact',
      generation: next(),
      before: [...demo, { path: 'deny.yaml', text: deny }],
      after: demo,
      cluster: {},
    });
    if (back.type !== 'flowsImpact') throw new Error(back.type);
    expect(back.impact!.newlyDenied).toEqual([]);
    expect(back.impact!.newlyAllowed).toHaveLength(1);
  });

  it('answers nothing before an import', () => {
    const { handle, next } = setUp();
    expect(
      handle({ type: 'flowsImpact', generation: next(), before: demo, after: [], cluster: {} }),
    ).toMatchObject({
      impact: undefined,
    });
  });
});

describe('the worker handler', () => {
  it('dispatches the flows requests to the flows handler, on the workspace the graph shows', async () => {
    const handle = createHandler();
    await handle({
      type: 'analyze',
      generation: 1,
      files: demo.map((f) => ({ id: f.path, ...f })),
      options: { cni: 'upstream' },
    });
    for (const step of [
      { id: 1, kind: 'start', name: 'demo.hubble.jsonl' },
      { id: 1, kind: 'chunk', text: hubble },
      { id: 1, kind: 'end' },
    ] as const) {
      await handle({ type: 'flowsImport', generation: 1, step });
    }
    const reply = await handle({ type: 'flowsReport', generation: 1 });
    expect(reply).toMatchObject({ type: 'flowsReport', view: { totals: { observedDenied: 2 } } });
  });
});
