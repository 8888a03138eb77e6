export type { ConnectionsDelta } from './delta.ts';
export type { Admission, WorkspaceOptions } from './options.ts';
export type { Validation } from './revision.ts';
export {
  type ClusterAnswer,
  type ConnectionsAnswer,
  type DiffAnswer,
  type ExplainAnswer,
  type ExposureAnswer,
  type FindingsAnswer,
  type ParsedAnswer,
  type TextChange,
  type WhatIfAnswer,
  Workspace,
} from './workspace.ts';
