// Authoring data shared by the store, the authoring worker protocol and persistence: plain, serialisable.

import type { WorkloadId } from '@netpol-atlas/evaluator';
import type { DraftRangeId } from './ids.ts';

/** An address range the user added to draw connections to or from, before any policy names it. */
export interface DraftRange {
  /** The graph node id: `range:<cidr>` plus ` except <cidr>,…` when it has holes. */
  id: DraftRangeId;
  cidr: string;
  except: string[];
}

/** The three presets a namespace or workload offers. */
export type PresetKind = 'deny-ingress' | 'deny-egress-keep-dns' | 'allow-within-namespace';

/** What a preset applies to. */
export type PresetTargetRef = { kind: 'namespace'; name: string } | { kind: 'workload'; id: WorkloadId };
