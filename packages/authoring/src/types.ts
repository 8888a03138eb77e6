import type { ClusterOptions, ConnectionSet } from '@netpol-atlas/evaluator';
import type { SourceFile, SourceRange } from '@netpol-atlas/manifests';
import type { Workspace } from '@netpol-atlas/workspace';

/** One end of a drawn edge. Workload ids are the evaluator's peer strings, `ns/name[Kind]`. */
export type PeerRef =
  | { kind: 'workload'; id: string }
  | { kind: 'namespace'; name: string }
  | { kind: 'cidr'; cidr: string; except?: readonly string[] };

/** A port the user wants open. No `port`: every port of the protocol. A string `port` is a named port. */
export interface PortIntent {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port?: number | string;
  /** Inclusive end of a numeric range starting at `port`. */
  endPort?: number;
}

/** "Allow `src` to reach `dst` on `ports`": what a drawn edge means. */
export interface EdgeIntent {
  src: PeerRef;
  dst: PeerRef;
  ports: readonly PortIntent[] | 'all';
  /**
   * `auto` (default): write an egress rule only when the source is already egress-isolated (the
   * rule is needed and isolates nothing new). `always`: write one even when that newly isolates
   * the source's egress; the connections that removes are reported in `removed`.
   */
  egress?: 'auto' | 'always';
  /**
   * Where the rule goes. `namespace` (default): namespace NetworkPolicies. `admin`: a
   * ClusterNetworkPolicy in the Admin tier with Accept rules, decided before every NetworkPolicy.
   * `baseline`: a ClusterNetworkPolicy in the Baseline tier with Accept rules, a default that a
   * namespace's NetworkPolicies override. Either tier writes an Accept on each side that does not
   * admit the traffic yet, so the connection is allowed end to end.
   */
  placement?: Placement;
  /**
   * The priority of the cluster policies written (`admin`/`baseline` only). Omitted: one is
   * suggested that beats the rules in the way and is used by no policy of the tier.
   */
  priority?: number;
}

/** Where an allow rule is written: see {@link EdgeIntent.placement}. */
export type Placement = 'namespace' | 'admin' | 'baseline';

/** "Stop `src` reaching `dst` (on `ports`, default every port)". */
export interface RemovalIntent {
  src: PeerRef;
  dst: PeerRef;
  ports?: readonly PortIntent[] | 'all';
}

/** Options shared by every planner entry point. */
export interface PlanOptions {
  /**
   * The evaluation options (CNI profile, compat mode) of files given as plain files. A
   * {@link Workspace} given instead has its own options, which apply.
   */
  cluster?: ClusterOptions;
}

/** The new text of one file. `before` is undefined for a file the edit creates. */
export interface FileEdit {
  path: string;
  before: string | undefined;
  after: string;
  /** One line per change made to this file, for people reviewing the edit. */
  changes: string[];
}

/** A connection the edit adds or removes between two evaluator peers. */
export interface Change {
  /** Evaluator peer strings: `ns/name[Kind]` or `a.b.c.d-e.f.g.h[External]`. */
  src: string;
  dst: string;
  /** What was allowed before and after (the evaluator's text, e.g. `TCP 8080`). */
  before: string;
  after: string;
  /** The connections gained (in `added`) or lost (in `removed`) between the pair. */
  conn: ConnectionSet;
  /** `conn` as text, e.g. `TCP 8080`. */
  ports: string;
}

/** A rule that admits some traffic, as `explainConnection` reports it. */
export interface RuleRef {
  policy: string;
  direction: 'Ingress' | 'Egress';
  rule: number;
  /** Index in `from`/`to`; undefined when the rule admits every peer. */
  peer: number | undefined;
  /** Indices of the port entries that admit the traffic; empty when the rule admits every port. */
  ports: number[];
  file: string;
  range: SourceRange | undefined;
}

/** Why a plan could not be made. Stable codes: the app keys messages and tests on them. */
export type PlanFailureReason =
  /** The intent is already satisfied; nothing to do. */
  | 'already-allowed'
  /** Satisfying the intent would need a deny rule, which NetworkPolicy cannot express. */
  | 'needs-deny'
  /** A workload or namespace that is not in the files. */
  | 'unknown-peer'
  /** A malformed intent (bad CIDR, port out of range, CIDR to CIDR...). */
  | 'invalid-input'
  /** A named port the destination does not define. */
  | 'unknown-port'
  /** The workload's pods carry no labels that could select them. */
  | 'no-stable-labels'
  /** A removal asked for traffic that is not allowed now. */
  | 'not-allowed'
  /** No edit removes the traffic without adding other connections (or it is never blockable). */
  | 'cannot-remove'
  /** A preset that is already in place. */
  | 'already-applied'
  /** Something the evaluator cannot analyse, so a change could not be verified (IPv6). */
  | 'unsupported'
  /** The chosen tier never decides this traffic (e.g. a NetworkPolicy decides before the Baseline tier). */
  | 'tier-overridden'
  /** No priority in the tier both beats the rules in the way and is free (or the one given is not). */
  | 'no-priority'
  /** The edit did not do what was asked when re-evaluated: a bug, reported instead of hidden. */
  | 'not-verified';

/** A change the evaluator has verified, or why there is none. */
export type Plan =
  | {
      ok: true;
      edits: FileEdit[];
      /** Every connection the edit adds, intended or not. */
      added: Change[];
      /** Every connection the edit removes, intended or not. */
      removed: Change[];
      /** The part of `added` (for an allow) or `removed` (for a removal) beyond what was asked. */
      sideEffects: Change[];
      summary: string;
      /** Things a reviewer should know (e.g. an egress rule that newly isolates the source). */
      warnings: string[];
      /** For removals: every rule that admitted the traffic before the edit. */
      admittedBy: RuleRef[];
    }
  | { ok: false; reason: PlanFailureReason; message: string };

/** The successful branch of {@link Plan}. */
export type PlanOk = Extract<Plan, { ok: true }>;

/** The failed branch of {@link Plan}. */
export type PlanFailure = Extract<Plan, { ok: false }>;

/** The workspace's files, as plain text. */
export type Files = readonly SourceFile[];

/**
 * What every planner entry point reads: a compiled {@link Workspace} (its current revision; the
 * plan tries its edit on a fork and never re-parses the files it did not edit), or plain files,
 * compiled for the call.
 */
export type PlanSource = Files | Workspace;
