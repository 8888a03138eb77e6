// The public face of model/: other folders import from here, never from its files.
export type { DraftRange, PresetKind, PresetTargetRef } from './authoring.ts';
export type { ConnectionKind, EdgeTable, WireModel } from './edgeTable.ts';
export {
  edgeById,
  edgeCount,
  edgeDegree,
  edgesAt,
  edgesLeaving,
  edgeTableOf,
  hasEdgeTiers,
  hydrateModel,
  revisionOf,
} from './edgeTable.ts';
export type {
  AnyPolicyId,
  DraftRangeId,
  EdgeId,
  NamespaceId,
  NodeId,
  PolicyId,
} from './ids.ts';
export {
  asNodeId,
  draftRangeId,
  edgeId,
  isNamespaceId,
  namespaceId,
  namespaceOfNode,
  nodeLabel,
  parseEdgeId,
  parseNodeId,
  parsePolicyRef,
  peerNodeId,
  rangeText,
} from './ids.ts';
export type {
  AdminDenialsView,
  DecidingLayer,
  DocumentFile,
  EdgeTiers,
  ExplainResult,
  ExplainSide,
  ExplainTierChain,
  ExplainTierDecision,
  FindingView,
  GraphEdge,
  GraphModel,
  GraphNode,
  LayerDecisionView,
  NamespaceSummary,
  PolicySummary,
  Problem,
  Protocol,
  SourceRef,
  TierRuleView,
  WhatIfChange,
  WhatIfOpening,
  WhatIfView,
} from './types.ts';
export { admittedIds, externalNode } from './types.ts';
