import type { SourceFile, SourceRange } from '@netpol-atlas/manifests';
import type { FileEdit } from '../types.ts';

/** How much an issue matters: `error` means the converted set is not what the original said. */
export type MigrationSeverity = 'error' | 'warning' | 'info';

/** The stable codes of migration issues. */
export type MigrationIssueCode =
  /** A field with no v1alpha2 place (early v1alpha1 `sameLabels`, unknown fields): left out. */
  | 'unconvertible-field'
  /** An action none of Allow/Deny/Pass (or Pass in a BANP): carried over, refused by the API server. */
  | 'invalid-action'
  /** An ANP priority outside 0..1000. */
  | 'priority-out-of-range'
  /** More rules per direction than a ClusterNetworkPolicy holds. */
  | 'rule-limit'
  /** A rule split into several to fit v1alpha2's limits of peers or protocols (exact). */
  | 'rule-split'
  /** A port range that matches no port (start above end): left out. */
  | 'empty-port-range'
  /** A rule none of whose ports matches anything: left out (it never applied). */
  | 'rule-matches-nothing'
  /** The converted name was taken: the object was renamed. */
  | 'name-collision'
  /** Two v1alpha1 objects of one kind share a name: the duplicate is kept as such. */
  | 'duplicate-name'
  /** Another policy of the tier has the same priority: their order is implementation-defined. */
  | 'priority-tie'
  /** The API server would refuse the original object: left unconverted. */
  | 'invalid-source'
  /** The API server would refuse the converted object. */
  | 'invalid-result'
  /** `apiVersion` other than policy.networking.k8s.io/v1alpha1. */
  | 'unexpected-api-version'
  /** Server-set metadata (uid, resourceVersion, last-applied annotation...) not carried over. */
  | 'dropped-server-field'
  /** `status` not carried over. */
  | 'dropped-status';

/** One thing the conversion could not do exactly, or that a reviewer should know. */
export interface MigrationIssue {
  code: MigrationIssueCode;
  severity: MigrationSeverity;
  message: string;
  /** The file of the original object. */
  file: string;
  /** `Kind/name` of the original object. */
  object: string;
  /** Field path in the original object (`spec.ingress[0].ports[1]`), empty for the whole object. */
  field: string;
  range: SourceRange | undefined;
}

/** One converted object: where it came from, what it became, and its YAML alone. */
export interface ConvertedPolicy {
  from: {
    kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
    name: string;
    file: string;
    /** Index of the YAML document in its file; `item` when it was a List item. */
    document: number;
    item?: number;
  };
  to: { name: string; tier: 'Admin' | 'Baseline'; priority: number; file: string };
  /** The ClusterNetworkPolicy as a YAML document of its own. */
  yaml: string;
}

/** Which file of the converted set holds what was in a file of the original set. */
export interface FileMapping {
  from: string;
  to: string;
  /** The objects of the file that were converted (`Kind/name` of the originals). */
  converted: string[];
}

/** The result of converting a set of manifests. */
export interface Migration {
  converted: ConvertedPolicy[];
  /** The whole converted set: every file, changed or not, in the original order. */
  files: SourceFile[];
  /** The changed files only, as authoring edits (reviewable and undoable like any plan). */
  edits: FileEdit[];
  mapping: FileMapping[];
  issues: MigrationIssue[];
}

/** Options of {@link migrateClusterPolicies}. */
export interface MigrationOptions {
  /**
   * The Baseline-tier priority of the converted BaselineAdminNetworkPolicy (default 0: the
   * singleton had none, and the evaluator reads it as 0, first of the Baseline tier).
   */
  baselinePriority?: number;
}

/** One connection whose allowed set differs between the original and the converted set. */
export interface MigrationDifference {
  /** Evaluator peer strings: `ns/name[Kind]`, `a.b.c.d-e.f.g.h[External]` or `dns:name`. */
  src: string;
  dst: string;
  /** The allowed connections, as `netpol list` prints them (`No Connections` when none). */
  before: string;
  after: string;
}

/** Whether the converted set allows exactly what the original did. */
export interface MigrationEquivalence {
  /** True when every connection is identical. */
  proven: boolean;
  /** Connections allowed identically by both sets. */
  identical: number;
  differences: MigrationDifference[];
}
