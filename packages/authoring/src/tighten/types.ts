import type { Protocol } from '@netpol-atlas/evaluator';
import type { Change, PlanFailure, PlanOk, PlanOptions } from '../types.ts';

/**
 * One end of an observed connection: a workload by its evaluator id (`ns/name[Kind]`), or an
 * address outside the cluster's pods (an IPv4 address, or a CIDR for a range seen as a whole).
 */
export type ObservedEnd = { kind: 'workload'; id: string } | { kind: 'external'; address: string };

/**
 * A connection seen in real traffic: who called whom on which protocol and destination port.
 * Authoring defines this small shape rather than reading the flows package's records, so the
 * planner does not depend on how flows are read or matched; the apps map their flows to it.
 */
export interface ObservedConnection {
  src: ObservedEnd;
  dst: ObservedEnd;
  protocol: Protocol;
  port: number;
  /** How many connections the observation stands for (shown, never used to decide). */
  count?: number;
}

/** What to tighten: every workload of a namespace, or one workload (and the pods its labels select). */
export type TightenScope = { kind: 'namespace'; name: string } | { kind: 'workload'; id: string };

/** Options of {@link planTighten}. */
export interface TightenOptions extends PlanOptions {
  /** Keep egress to kube-dns (UDP and TCP 53) for every workload of the scope, observed or not. */
  keepDns?: boolean;
  /**
   * The caller has seen the observed connections the result would deny and accepts them. Without
   * it, a plan that denies some is marked `acceptanceRequired`.
   */
  acceptDenied?: boolean;
}

/** An observed connection judged before and after the edit, as the evaluator answers on each. */
export interface ObservedVerdict {
  /** Evaluator peer ids: `ns/name[Kind]`, or the address (range) as written in the observation. */
  src: string;
  dst: string;
  protocol: Protocol;
  port: number;
  count: number | undefined;
  allowedBefore: boolean;
  allowedAfter: boolean;
}

/** An observed connection the tightened policies would deny, and what denies it. */
export interface DeniedObserved extends ObservedVerdict {
  /** Who denies it, e.g. `egress: AdminNetworkPolicy/deny-all (Admin tier)` or `ingress: NetworkPolicy x`. */
  reason: string;
}

/** A decision a cluster-wide Admin-tier rule makes, which no NetworkPolicy can change. */
export interface TierDecided {
  src: string;
  dst: string;
  /** The traffic the rule decides, as text (`TCP 8080`). */
  ports: string;
  side: 'egress' | 'ingress';
  policy: string;
  action: 'allow' | 'deny' | 'pass';
  /** Whether the connection was observed (an observed deny) or not (an unobserved allow). */
  observed: boolean;
}

/** What the tightened policies still allow beyond the observations, and why NetworkPolicy keeps it. */
export interface BeyondObserved {
  src: string;
  dst: string;
  ports: string;
  reason: string;
}

/** The preview of a tightening, every list read from the evaluator on the edited fork. */
export interface TightenReport {
  /** The workloads whose policies were tightened. */
  subjects: string[];
  /** Observed connections of the scope that stay allowed. */
  kept: ObservedVerdict[];
  /** Connections allowed before and denied after (none of them observed, or they are in `denied`). */
  removed: Change[];
  /** Observed connections that would be denied after the edit. */
  denied: DeniedObserved[];
  /** Allowed after the edit without being observed: label selectors, policies outside the scope, tiers. */
  beyond: BeyondObserved[];
  /** Admin-tier decisions on the scope's traffic, which NetworkPolicy cannot change. */
  tierDecided: TierDecided[];
  /** Observations left out: not about the scope, unknown workloads, addresses NetworkPolicy cannot write. */
  ignored: { observation: string; reason: string }[];
  /** True when `denied` is not empty and the caller did not accept it: do not apply. */
  acceptanceRequired: boolean;
}

/** A verified tightening: the edit (possibly none, when the scope is tight already) and its preview. */
export type TightenPlan = (PlanOk & { tighten: TightenReport }) | PlanFailure;
