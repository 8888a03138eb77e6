// What the connections table and the namespace matrix are computed from: the model's nodes and
// policies and its connections as an edge table. The worker has the table of its compiled
// revision; the page has the one the worker sent (see edgeTableOf), and builds one from
// `model.edges` only for a model the worker did not send.

import {
  type ConnectionKind,
  type EdgeTable,
  edgeTableOf,
  type GraphModel,
  type GraphNode,
  type PolicySummary,
} from '../model/index.ts';

/** A model with its connections as columns of node indices. */
export interface TableSource {
  nodes: readonly GraphNode[];
  table: EdgeTable;
  policies: readonly PolicySummary[];
}

const built = new WeakMap<GraphModel, TableSource>();

/** The edge table of a model's `edges`: one connection kind per distinct label. */
function tableOfEdges(model: GraphModel): EdgeTable {
  const index = new Map(model.nodes.map((n, i) => [n.id as string, i]));
  const kinds: ConnectionKind[] = [];
  const kindOf = new Map<string, number>();
  const count = model.edges.length;
  const table: EdgeTable = {
    source: new Int32Array(count),
    target: new Int32Array(count),
    kind: new Int32Array(count),
    kinds,
    tiers: undefined,
  };
  model.edges.forEach((edge, i) => {
    let kind = kindOf.get(edge.label);
    if (kind === undefined) {
      kind = kinds.length;
      kinds.push({ label: edge.label, all: edge.all, ports: edge.ports });
      kindOf.set(edge.label, kind);
    }
    table.source[i] = index.get(edge.source) ?? -1;
    table.target[i] = index.get(edge.target) ?? -1;
    table.kind[i] = kind;
  });
  return table;
}

/** The table source of a model: its own table when the worker sent it, else one built once. */
export function tableSourceOf(model: GraphModel): TableSource {
  let source = built.get(model);
  if (!source) {
    source = {
      nodes: model.nodes,
      table: edgeTableOf(model) ?? tableOfEdges(model),
      policies: model.policies,
    };
    built.set(model, source);
  }
  return source;
}
