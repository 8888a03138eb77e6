// The IPv4 module lives in the manifests package, beside the validator's Go-compatible parser it
// builds on (see ipv4.ts there); the evaluator's API carries it with the interval sets that
// analysis answers in, so authoring and the app have one place to import both from.
export { cidrToInterval, formatIPv4, parseIPv4 } from '@netpol-atlas/manifests';
export { type Analysis, analyze, type Connection, externalPeer, rulePorts } from './analyze.ts';
export { buildCluster, policyId } from './cluster.ts';
export {
  ALL_CONNECTIONS,
  type ConnectionSet,
  connectionKey,
  containsPort,
  equalConnections,
  formatConnectionSet,
  intersectConnections,
  isAllConnections,
  isEmptyConnections,
  NO_CONNECTIONS,
  type PortRanges,
  PROTOCOLS,
  type Protocol,
  parseProtocol,
  portRangeConnections,
  protocolConnections,
  subtractConnections,
  unionConnections,
} from './connectionSet.ts';
export { type ConnectionDelta, connectionDelta } from './delta.ts';
export { type ConnectionChange, type ConnectivityDiff, diffAnalyses, type PeerStatus } from './diff.ts';
export {
  type Explanation,
  explainConnection,
  findPeer,
  type NearMiss,
  type RuleMatch,
  type SideExplanation,
} from './explain.ts';
export {
  type ExplainReason,
  type ExplainSegment,
  explainAllPairs,
  explainPair,
  type PairExplanation,
  type SideVerdict,
} from './explainReport.ts';
export type { PassedOver, TierChain, TierDecision } from './explainTiers.ts';
export {
  type DirectionExposure,
  type ExposureEntry,
  type ExposureOptions,
  type ExposureReport,
  exposure,
  type WorkloadExposure,
} from './exposure.ts';
export { isFatal, isFatalUnder } from './fatal.ts';
export { intervalsToCidrs } from './findings/addressRanges.ts';
export {
  FINDING_RULES,
  /** @public The severities, most severe first: the order report writers list findings in. */
  FINDING_SEVERITIES,
  type FindingRuleInfo,
  findingRuleInfo,
  severityAtLeast,
} from './findings/catalog.ts';
export { findings } from './findings/findings.ts';
export type {
  ClusterNetworks,
  Finding,
  FindingInstance,
  FindingLocation,
  FindingRule,
  FindingSeverity,
  FindingsOptions,
  FixSuggestion,
  RuleRef as FindingRuleRef,
  SuggestedPeer,
  SuggestedPort,
  UnanalysedPolicyRef,
} from './findings/types.ts';
export {
  DEFAULT_WHAT_IF_EVALUATIONS,
  type LabelChange,
  type LabelOpening,
  resolveWorkload,
  type Target,
  type WhatIf,
  type WhatIfOptions,
  type WhatIfSearch,
  whatIf,
} from './findings/whatIf.ts';
export type { ExternalRangeId, PolicyId, WorkloadId } from './ids.ts';
export { kindOfId, parseExternalRangeId, parseWorkloadId } from './ids.ts';
export { type Intervals, intersectIntervals, subtractIntervals, unionIntervals } from './intervals.ts';
export type {
  Cluster,
  ClusterOptions,
  CniProfile,
  CompiledClusterPolicy,
  CompiledPeer,
  CompiledPolicy,
  CompiledPort,
  CompiledRule,
  CompiledTierPeer,
  CompiledTierRule,
  Direction,
  ExternalPeer,
  NamespaceInfo,
  Peer,
  PodInfo,
  SideTiers,
  Tier,
  TierAction,
  WorkloadPeer,
} from './model.ts';
export { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL } from './model.ts';
export { plural } from './plural.ts';
export { type RepresentativePeer, representativePeer } from './representativePeer.ts';
export { type CompiledSelector, compileSelector } from './selectors.ts';
export {
  type AdminDenial,
  type AdminDenials,
  adminDenials,
  attributeConnection,
  type ConnectionAttribution,
  type DecidingLayer,
  type LayerDecision,
  type SideAttribution,
  type TierRuleRef,
} from './tierAttribution.ts';
export type { SideTrace, TierStep } from './tiers.ts';
