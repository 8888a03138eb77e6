// The public face of model/: other folders import from here, never from its files.
export type { DraftRange, PresetKind, PresetTargetRef } from './authoring.ts';
export type {
  DocumentFile,
  ExplainResult,
  ExplainSide,
  FindingView,
  GraphEdge,
  GraphModel,
  GraphNode,
  PolicySummary,
  Problem,
  Protocol,
  SourceRef,
  WhatIfChange,
  WhatIfOpening,
  WhatIfView,
} from './types.ts';
export { admittedIds, externalNode } from './types.ts';
