// How the analysis reply's model crosses from the worker to the page. Structured clone rebuilds
// every node and policy object on the page's thread: 10,000 workloads and 6,000 policies took
// hundreds of milliseconds in one task there, several times what JSON.parse takes for the same
// objects. So the worker sends them as JSON texts (a string is copied whole, at memory speed), in
// chunks the page parses one task at a time, and the policies' `admits` as one transferred buffer.

import type { EdgeTable, GraphNode, NamespaceSummary, PolicySummary, WireModel } from '../model/index.ts';
import type { WorkerResponse } from './protocol.ts';

/** Nodes or policies per JSON chunk: each is parsed in a task of its own. */
const CHUNK = 2000;

/** A {@link WireModel} as posted: see the top of this file. */
export interface PostedModel {
  posted: true;
  /** JSON arrays of the nodes, `CHUNK` a piece, in order. */
  nodes: string[];
  /** JSON arrays of the policies without `admits`, in order. */
  policies: string[];
  namespaces: NamespaceSummary[];
  /** Every policy's `admits`, one after another; policy `i`'s end at `admitEnds[i]`. */
  admits: Int32Array;
  admitEnds: Int32Array;
  table: EdgeTable;
  revision: number;
}

function chunksOf<T>(items: readonly T[], encode: (item: T) => unknown): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < items.length; i += CHUNK)
    chunks.push(JSON.stringify(items.slice(i, i + CHUNK).map(encode)));
  return chunks;
}

/** The model as the worker posts it, with the buffers to transfer (the table's and `admits`). */
function postModel(model: WireModel): { posted: PostedModel; transfer: ArrayBuffer[] } {
  const admitEnds = new Int32Array(model.policies.length);
  let total = 0;
  model.policies.forEach((p, i) => {
    total += p.admits.length;
    admitEnds[i] = total;
  });
  const admits = new Int32Array(total);
  let at = 0;
  for (const p of model.policies) {
    admits.set(p.admits, at);
    at += p.admits.length;
  }
  const posted: PostedModel = {
    posted: true,
    nodes: chunksOf(model.nodes, (n) => n),
    policies: chunksOf(model.policies, ({ admits: _, ...rest }) => rest),
    namespaces: model.namespaces,
    admits,
    admitEnds,
    table: model.table,
    revision: model.revision,
  };
  const { table } = model;
  const transfer = new Set(
    [table.source, table.target, table.kind, admits].map((a) => a.buffer as ArrayBuffer),
  );
  return { posted, transfer: [...transfer] };
}

function isPostedModel(model: WireModel | PostedModel): model is PostedModel {
  return (model as PostedModel).posted === true;
}

/** Lets the page's other tasks run between two chunks. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The model back from its posted form, a chunk per task. JSON has no `undefined`: a field that
 * held it comes back absent, which reads the same.
 */
async function receiveModel(posted: PostedModel): Promise<WireModel> {
  const nodes: GraphNode[] = [];
  for (const chunk of posted.nodes) {
    await nextTask();
    for (const node of JSON.parse(chunk) as GraphNode[]) nodes.push(node);
  }
  const policies: PolicySummary[] = [];
  for (const chunk of posted.policies) {
    await nextTask();
    for (const policy of JSON.parse(chunk) as PolicySummary[]) {
      const i = policies.length;
      policy.admits = posted.admits.subarray(i === 0 ? 0 : posted.admitEnds[i - 1], posted.admitEnds[i]);
      policies.push(policy);
    }
  }
  return { nodes, namespaces: posted.namespaces, policies, table: posted.table, revision: posted.revision };
}

type AnalyzeReply = Extract<WorkerResponse, { type: 'analyze' }>;

/** An analysis reply as the worker posts it, with what to transfer (see the top of this file). */
export function postAnalysis(reply: AnalyzeReply): { message: unknown; transfer: ArrayBuffer[] } {
  const { posted, transfer } = postModel(reply.model);
  return { message: { ...reply, model: posted }, transfer };
}

/**
 * A reply as the page reads it: an analysis's posted model made whole again. Replies of the
 * main-thread fallback (never posted) pass as they are.
 */
export async function receiveReply(reply: WorkerResponse): Promise<WorkerResponse> {
  if (reply.type !== 'analyze') return reply;
  const model = reply.model as WireModel | PostedModel;
  return isPostedModel(model) ? { ...reply, model: await receiveModel(model) } : reply;
}
