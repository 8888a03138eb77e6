import { type ClusterOptions, formatIPv4 } from '@netpol-atlas/evaluator';
import {
  type DecidingRule,
  type EvaluatedFlow,
  evaluateFlows,
  type FlowDiagnostic,
  type FlowFormat,
  FlowReader,
  type FlowReport,
  flowImpact,
  type SkippedRecords,
  type UnmatchedFlow,
} from '@netpol-atlas/flows';
import type { SourceFile } from '@netpol-atlas/manifests';
import type { Workspace } from '@netpol-atlas/workspace';
import type { Protocol, SourceRef } from '../model/index.ts';
import { FlowRecordStore } from './flowRecords.ts';
import { toSourceRef } from './sourceRef.ts';
import { type WorkerError, workerError } from './workerError.ts';

/**
 * One step of streaming a flow file into the worker: the page reads the file, the worker parses
 * it. `id` names the import, so a step of one the page gave up on never feeds the next.
 */
export type FlowImportStep = { id: number } & (
  | { kind: 'start'; name: string }
  | { kind: 'chunk'; text: string }
  | { kind: 'end' }
  | { kind: 'cancel' }
);

/** Requests about observed traffic. `generation` increases per kind; stale replies are dropped. */
export type FlowsRequest =
  | { type: 'flowsImport'; generation: number; step: FlowImportStep }
  /** The imported flows judged by the compiled workspace's current revision. */
  | { type: 'flowsReport'; generation: number }
  /** What going from `before` to `after` does to the imported flows. */
  | {
      type: 'flowsImpact';
      generation: number;
      before: SourceFile[];
      after: SourceFile[];
      cluster: ClusterOptions;
    };

export type FlowsResponse =
  | { type: 'flowsImport'; generation: number; progress: FlowImportProgress }
  | { type: 'flowsReport'; generation: number; view: FlowsView | undefined }
  | { type: 'flowsImpact'; generation: number; impact: FlowImpactView | undefined }
  | { type: 'failed'; request: FlowsRequest['type']; generation: number; error: WorkerError };

/** How far the reader got, sent after every chunk. */
export interface FlowImportProgress {
  lines: number;
  records: number;
  diagnosticCount: number;
}

/** A deciding rule as the app shows it, with a link to its YAML. */
export interface FlowRuleView {
  side: DecidingRule['side'];
  layer: DecidingRule['layer'];
  policies: string[];
  rule: number | undefined;
  action: DecidingRule['action'];
  source: SourceRef | undefined;
}

/** One aggregated observed flow with the workspace's verdict. */
export interface FlowItemView {
  key: string;
  /** Peer ids of the analysis (a workload id, or the external range holding the address). */
  src: string;
  dst: string;
  /** The address of an external end, as the record had it. */
  srcAddress: string | undefined;
  dstAddress: string | undefined;
  protocol: Protocol;
  port: number;
  count: number;
  forwarded: number;
  dropped: number;
  firstSeen: number | undefined;
  lastSeen: number | undefined;
  denied: boolean;
  deniedBy: Array<'egress' | 'ingress'>;
  rules: FlowRuleView[];
  /** The first line of the file that contributed. */
  line: number;
}

/** An allowed connection (by some rule) that no flow used. */
export interface UnobservedView {
  src: string;
  dst: string;
  conn: string;
}

/** The imported flows judged by one revision: what the overlay, the legend and the details read. */
export interface FlowsView {
  revision: number;
  name: string;
  format: FlowFormat | undefined;
  lines: number;
  window: { first: number; last: number } | undefined;
  diagnostics: FlowDiagnostic[];
  diagnosticCount: number;
  skipped: SkippedRecords;
  flows: FlowItemView[];
  unobserved: UnobservedView[];
  /** All the unobserved connections, of which {@link unobserved} lists the first ones. */
  unobservedCount: number;
  unmatched: { groups: UnmatchedFlow[]; groupCount: number; records: number; connections: number };
  totals: FlowReport['totals'];
  /** Records of distinct groups past the worker's limit: counted, not matched. */
  overflowRecords: number;
}

/** Observed flows a change newly denies (and newly allows). */
export interface FlowImpactView {
  newlyDenied: FlowItemView[];
  newlyAllowed: FlowItemView[];
  newlyDeniedConnections: number;
}

/** Unobserved connections sent to the page: enough to mark every drawn edge of a readable graph. */
const MAX_UNOBSERVED = 20_000;

interface Imported {
  id: number;
  name: string;
  reader: FlowReader;
  store: FlowRecordStore;
}

function ruleView(rule: DecidingRule): FlowRuleView {
  return {
    side: rule.side,
    layer: rule.layer,
    policies: rule.policies,
    rule: rule.rule,
    action: rule.action,
    source: rule.file ? toSourceRef(rule.file, rule.range) : undefined,
  };
}

/** An evaluated flow as the page shows it. */
export function flowItemView(flow: EvaluatedFlow): FlowItemView {
  return {
    key: flow.key,
    src: flow.srcPeer.id,
    dst: flow.dstPeer.id,
    srcAddress: flow.src.kind === 'external' ? formatIPv4(flow.src.address) : undefined,
    dstAddress: flow.dst.kind === 'external' ? formatIPv4(flow.dst.address) : undefined,
    protocol: flow.protocol,
    port: flow.port,
    count: flow.count,
    forwarded: flow.forwarded,
    dropped: flow.dropped,
    firstSeen: flow.firstSeen,
    lastSeen: flow.lastSeen,
    denied: flow.state === 'observed-denied',
    deniedBy: flow.decision.deniedBy,
    rules: flow.decision.rules.map(ruleView),
    line: flow.line,
  };
}

function reportOf(workspace: Workspace, imported: Imported): FlowReport {
  const aggregator = imported.store.aggregatorFor(workspace.connections().analysis.cluster);
  return evaluateFlows(workspace, aggregator);
}

function sameFiles(a: readonly SourceFile[], b: readonly SourceFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.path === b[i]!.path && f.text === b[i]!.text);
}

/** The compiled workspace when it holds `files` under `cluster`, else a fork of it that does. */
function holding(compiled: Workspace, files: readonly SourceFile[], cluster: ClusterOptions): Workspace {
  const own = compiled.options.cluster ?? {};
  const sameOptions =
    own.compat === cluster.compat &&
    (own.cni ?? 'upstream') === (cluster.cni ?? 'upstream') &&
    own.granularity === cluster.granularity;
  if (sameOptions && sameFiles(compiled.files, files)) return compiled;
  const fork = compiled.fork();
  if (!sameOptions) fork.configure({ ...compiled.options, cluster });
  fork.setFiles(files);
  return fork;
}

/**
 * The observed-traffic half of the worker: a flow file streamed in chunks (the page reads it, so
 * a 1 GB file never sits in memory whole), its records kept summed per distinct ends and port
 * ({@link FlowRecordStore}), and judged on request by the compiled workspace (`compiled()`), or
 * by forks of it for a change's before and after. Nothing is persisted: a reload forgets them.
 */
export function createFlowsHandler(compiled: () => Workspace): (request: FlowsRequest) => FlowsResponse {
  let reading: Imported | undefined;
  let imported: Imported | undefined;
  const handle = (request: FlowsRequest): FlowsResponse => {
    switch (request.type) {
      case 'flowsImport': {
        const { step } = request;
        const current = reading?.id === step.id ? reading : undefined;
        if (step.kind === 'start') {
          const store = new FlowRecordStore();
          reading = { id: step.id, name: step.name, store, reader: new FlowReader((r) => store.add(r)) };
        } else if (step.kind === 'chunk') current?.reader.push(step.text);
        else if (step.kind === 'cancel') {
          if (current) reading = undefined;
        } else if (current) {
          current.reader.end();
          imported = current;
          reading = undefined;
        }
        const reader = (reading ?? imported)?.reader;
        return {
          type: 'flowsImport',
          generation: request.generation,
          progress: {
            lines: reader?.lines ?? 0,
            records: reader?.records ?? 0,
            diagnosticCount: reader?.diagnosticCount ?? 0,
          },
        };
      }
      case 'flowsReport': {
        if (!imported) return { type: 'flowsReport', generation: request.generation, view: undefined };
        const report = reportOf(compiled(), imported);
        const { reader } = imported;
        return {
          type: 'flowsReport',
          generation: request.generation,
          view: {
            revision: report.revision,
            name: imported.name,
            format: reader.format,
            lines: reader.lines,
            window: reader.window ? { ...reader.window } : undefined,
            diagnostics: [...reader.diagnostics],
            diagnosticCount: reader.diagnosticCount,
            skipped: { ...reader.skipped },
            flows: report.flows.map(flowItemView),
            unobserved: report.unobserved.slice(0, MAX_UNOBSERVED).map((u) => ({
              src: u.src.id,
              dst: u.dst.id,
              conn: u.conn,
            })),
            unobservedCount: report.unobserved.length,
            unmatched: report.unmatched,
            totals: report.totals,
            overflowRecords: imported.store.overflowRecords,
          },
        };
      }
      case 'flowsImpact': {
        if (!imported) return { type: 'flowsImpact', generation: request.generation, impact: undefined };
        const workspace = compiled();
        const before = reportOf(holding(workspace, request.before, request.cluster), imported);
        const after = reportOf(holding(workspace, request.after, request.cluster), imported);
        const impact = flowImpact(before, after);
        return {
          type: 'flowsImpact',
          generation: request.generation,
          impact: {
            newlyDenied: impact.newlyDenied.map(flowItemView),
            newlyAllowed: impact.newlyAllowed.map(flowItemView),
            newlyDeniedConnections: impact.newlyDeniedConnections,
          },
        };
      }
    }
  };
  return (request) => {
    try {
      return handle(request);
    } catch (error) {
      // A bug in judging flows must not take the UI down: report it as a failed request.
      return {
        type: 'failed',
        request: request.type,
        generation: request.generation,
        error: workerError(error),
      };
    }
  };
}
