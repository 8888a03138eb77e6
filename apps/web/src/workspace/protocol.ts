import type { ClusterNetworks, ClusterOptions } from '@netpol-atlas/evaluator';
import type { GraphFilters, LayoutInput, Positions, WireGroupedGraph } from '../graph/index.ts';
import type {
  AdminDenialsView,
  EdgeTiers,
  ExplainResult,
  FindingView,
  GraphEdge,
  GraphNode,
  Problem,
  Protocol,
  WhatIfView,
  WireModel,
} from '../model/index.ts';
import type { ConnectionOrder, ConnectionSort, SidePolicies } from './connectionOrder.ts';
import type { ConnectionsCsvQuery, CsvBlobSlice } from './connectionsCsv.ts';
import type { DocumentsUpdate, SyncedFile } from './documentSync.ts';
import type { MatrixCounts } from './matrixCounts.ts';
import type { MigrateRequest, MigrateResponse } from './migrateHandler.ts';
import type { WorkerError } from './workerError.ts';

/** Requests to the analysis worker. `generation` increases per request kind; stale replies are dropped. */
export type WorkerRequest =
  /**
   * Analyse the documents: `documents` is what changed since the state the worker holds (see
   * documentSync.ts; a worker without that state fails it with `UNKNOWN_BASE`), `files` all of
   * them (and the worker then forgets what it held).
   */
  | { type: 'analyze'; generation: number; documents: DocumentsUpdate; options: ClusterOptions }
  | { type: 'analyze'; generation: number; files: readonly SyncedFile[]; options: ClusterOptions }
  | { type: 'layout'; generation: number; graph: LayoutInput }
  /**
   * The graph as drawn: the model of `revision` filtered and grouped in the worker (a collapsed
   * namespace is one node with aggregated edges), with `extra` nodes and edges drawn with it.
   */
  | {
      type: 'overview';
      generation: number;
      revision: number;
      filters: GraphFilters;
      collapsed: string[];
      extra: { nodes: GraphNode[]; edges: GraphEdge[] } | undefined;
    }
  | {
      type: 'explain';
      generation: number;
      src: string;
      dst: string;
      query: { protocol: Protocol; port: number } | undefined;
    }
  /** `networks`: the cluster's address ranges the ipBlock checks compare against. */
  | { type: 'findings'; generation: number; networks?: ClusterNetworks }
  | { type: 'whatIf'; generation: number; workload: string }
  /** The connections the Admin tier denies: computed only when the user asks to see them. */
  | { type: 'adminDenials'; generation: number }
  /** Which tier decided one edge, for a workspace too big to attribute every edge up front. */
  | { type: 'edgeTiers'; generation: number; src: string; dst: string }
  /** The connections table's rows for the model of `revision`: the graph's filters, an order, a search. */
  | {
      type: 'connections';
      generation: number;
      revision: number;
      filters: GraphFilters;
      sort: ConnectionSort;
      query: string;
    }
  /** The policies deciding each side of each node of the model of `revision`, for the table's rows. */
  | { type: 'sidePolicies'; generation: number; revision: number }
  /** The namespace matrix of the model of `revision`, under the graph's filters. */
  | { type: 'matrix'; generation: number; revision: number; filters: GraphFilters }
  /** Rows `from` to `from + count` of the connections table of `revision` as CSV (connectionsCsv.ts). */
  | {
      type: 'connectionsCsv';
      generation: number;
      revision: number;
      query: ConnectionsCsvQuery;
      from: number;
      count: number;
    }
  | MigrateRequest;

export type WorkerResponse =
  /** `model`: its edge table's buffers are transferred, not copied. */
  | { type: 'analyze'; generation: number; model: WireModel; problems: Problem[]; ms: number }
  /**
   * `graph` undefined: the worker has moved on from `revision` (a newer analysis is on its way).
   * `layout`: the graph's layout input (layoutInput), read in the worker.
   */
  | {
      type: 'overview';
      generation: number;
      graph: WireGroupedGraph | undefined;
      layout: LayoutInput | undefined;
    }
  | { type: 'layout'; generation: number; positions: Positions }
  | { type: 'explain'; generation: number; result: ExplainResult | undefined }
  | { type: 'findings'; generation: number; findings: FindingView[] }
  | { type: 'whatIf'; generation: number; result: WhatIfView | undefined }
  | { type: 'adminDenials'; generation: number; result: AdminDenialsView | undefined }
  | { type: 'edgeTiers'; generation: number; result: EdgeTiers | undefined }
  /** `order` (or `matrix`) undefined: the worker has moved on from `revision`; its arrays are transferred. */
  | { type: 'connections'; generation: number; order: ConnectionOrder | undefined }
  | { type: 'sidePolicies'; generation: number; sides: SidePolicies | undefined }
  | { type: 'matrix'; generation: number; matrix: MatrixCounts | undefined }
  /** `slice` undefined: the worker has moved on from `revision`. */
  | { type: 'connectionsCsv'; generation: number; slice: CsvBlobSlice | undefined }
  | MigrateResponse
  | { type: 'failed'; request: WorkerRequest['type']; generation: number; error: WorkerError };
