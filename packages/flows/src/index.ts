export {
  type AggregatedFlow,
  FlowAggregator,
  type FlowEnd,
  type UnmatchedFlow,
} from './aggregate.ts';
export { type FlowImpact, flowImpact } from './impact.ts';
export type { EndpointMatch, MatchedBy, UnmatchedReason } from './match.ts';
export { FlowReader, type FlowReaderOptions } from './reader.ts';
export type {
  FlowDiagnostic,
  FlowDiagnosticCode,
  FlowEndpoint,
  FlowFormat,
  FlowRecord,
  ObservedVerdict,
  SkippedRecords,
} from './types.ts';
export {
  type DecidingRule,
  type EvaluatedFlow,
  evaluateFlows,
  type FlowDecision,
  type FlowReport,
  type UnobservedConnection,
} from './verdicts.ts';
