import type { ClusterOptions } from '@netpol-atlas/evaluator';
import type { GroupedGraph, Positions } from '../graph/index.ts';
import type {
  DocumentFile,
  ExplainResult,
  FindingView,
  GraphModel,
  Problem,
  Protocol,
  WhatIfView,
} from '../model/index.ts';
import type { MigrateRequest, MigrateResponse } from './migrateHandler.ts';

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
  | { type: 'findings'; generation: number }
  | { type: 'whatIf'; generation: number; workload: string }
  | MigrateRequest;

export type WorkerResponse =
  | { type: 'analyze'; generation: number; model: GraphModel; problems: Problem[]; ms: number }
  | { type: 'layout'; generation: number; positions: Positions }
  | { type: 'explain'; generation: number; result: ExplainResult | undefined }
  | { type: 'findings'; generation: number; findings: FindingView[] }
  | { type: 'whatIf'; generation: number; result: WhatIfView | undefined }
  | MigrateResponse
  | { type: 'failed'; request: WorkerRequest['type']; generation: number; message: string };
