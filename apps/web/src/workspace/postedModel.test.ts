import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeId } from '../model/ids.test-helper.ts';
import type { GraphNode, PolicySummary, WireModel } from '../model/index.ts';
import { compileWorkspace, wireModel } from './compileWorkspace.ts';
import { postAnalysis, receiveReply } from './postedModel.ts';
import type { WorkerResponse } from './protocol.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));

type AnalyzeReply = Extract<WorkerResponse, { type: 'analyze' }>;

const reply = (model: WireModel): AnalyzeReply => ({
  type: 'analyze',
  generation: 4,
  model,
  problems: [],
  ms: 1,
});

/** What the page gets: the posted message through a structured clone, its buffers transferred. */
function throughPostMessage(original: AnalyzeReply): WorkerResponse {
  const { message, transfer } = postAnalysis(original);
  return structuredClone(message, { transfer }) as WorkerResponse;
}

describe('posted analysis replies', () => {
  it('come back whole: nodes, namespaces, policies with what they admit, the edge table', async () => {
    const model = wireModel(compileWorkspace(demoFiles));
    // Kept apart: posting transfers (detaches) the table's columns.
    const expected = structuredClone(reply(model));
    const received = await receiveReply(throughPostMessage(reply(model)));
    expect(received).toEqual(expected);
    const policies = (received as AnalyzeReply).model.policies;
    expect(policies.map((p) => [...p.admits])).toEqual(expected.model.policies.map((p) => [...p.admits]));
    expect(policies.some((p) => p.admits.length > 0)).toBe(true);
  });

  it('carry nodes and policies as texts, a few thousand a chunk, so no task rebuilds them all', async () => {
    const nodes: GraphNode[] = Array.from({ length: 4500 }, (_, i) => ({
      id: nodeId(`ns/w${i}[Deployment]`),
      type: 'workload',
      label: `w${i}`,
      kind: 'Deployment',
      namespace: 'ns',
      labels: { app: `w${i}` },
      ports: [{ name: undefined, port: 80, protocol: 'TCP' }],
      ingressIsolated: i % 2 === 0,
      egressIsolated: false,
      pods: 1,
      source: { file: 'a.yaml', line: i + 1, column: 1, endLine: i + 2, endColumn: 1 },
    }));
    const policies: PolicySummary[] = Array.from({ length: 2001 }, (_, i) => ({
      id: `ns/p${i}`,
      namespace: 'ns',
      name: `p${i}`,
      kind: 'NetworkPolicy',
      tier: 'NetworkPolicy',
      priority: undefined,
      types: ['Ingress'],
      selects: [nodes[i]!.id],
      admits: Int32Array.from({ length: i % 3 }, (_, k) => i + k),
      source: undefined,
    }));
    const model: WireModel = {
      nodes,
      namespaces: [{ name: 'ns', labels: {}, declared: true, workloads: 4500 }],
      policies,
      table: {
        source: Int32Array.of(0, 1),
        target: Int32Array.of(1, 2),
        kind: Int32Array.of(0, 0),
        kinds: [],
        tiers: undefined,
      },
      revision: 9,
    };
    const expected = structuredClone(model);
    const { message, transfer } = postAnalysis(structuredClone(reply(model)));
    const posted = (message as { model: { nodes: unknown[]; policies: unknown[] } }).model;
    expect(posted.nodes.map((c) => typeof c)).toEqual(['string', 'string', 'string']);
    expect(posted.policies).toHaveLength(2);
    // The table's columns and the admits go as transferred buffers.
    expect(transfer).toHaveLength(4);
    const received = (await receiveReply(throughPostMessage(reply(model)))) as AnalyzeReply;
    expect(received.model).toEqual(expected);
  });

  it('pass a reply of the main-thread fallback (never posted) as it is', async () => {
    const original = reply(wireModel(compileWorkspace(demoFiles)));
    expect(await receiveReply(original)).toBe(original);
  });
});
