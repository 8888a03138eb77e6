import type { ClusterNetworks, ClusterOptions } from '@netpol-atlas/evaluator';
import type { GroupedGraph, Positions } from '../graph/index.ts';
import type {
  AdminDenialsView,
  DocumentFile,
  EdgeTiers,
  ExplainResult,
  FindingView,
  GraphModel,
  Problem,
  Protocol,
  WhatIfView,
} from '../model/index.ts';
import type { MigrateRequest, MigrateResponse } from './migrateHandler.ts';
import type { WorkerError } from './workerError.ts';

/** Requests to the analysis worker. `generation` increases per request kind; stale replies are dropped. */
export type WorkerRequest =
  | { type: 'analyze'; generation: number; files: DocumentFile[]; options: ClusterOptions }
  | { type: 'layout'; generation: number; graph: GroupedGraph }
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
  | MigrateRequest;

export type WorkerResponse =
  | { type: 'analyze'; generation: number; model: GraphModel; problems: Problem[]; ms: number }
  | { type: 'layout'; generation: number; positions: Positions }
  | { type: 'explain'; generation: number; result: ExplainResult | undefined }
  | { type: 'findings'; generation: number; findings: FindingView[] }
  | { type: 'whatIf'; generation: number; result: WhatIfView | undefined }
  | { type: 'adminDenials'; generation: number; result: AdminDenialsView | undefined }
  | { type: 'edgeTiers'; generation: number; result: EdgeTiers | undefined }
  | MigrateResponse
  | { type: 'failed'; request: WorkerRequest['type']; generation: number; error: WorkerError };
