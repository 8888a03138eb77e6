// The tier finding rules' names and fix kinds, apart from their catalog entries so that the shared
// types can name them without an import cycle.

import type { Direction } from '../model.ts';

/** The names of the tier finding rules. */
export type TierFindingRule =
  | 'cluster-policy-not-enforced'
  | 'tier-priority-tie'
  | 'tier-shadowed-rule'
  | 'tier-pass-reopens'
  | 'tier-pass-default-allow'
  | 'tier-baseline-overridden'
  | 'tier-networks-cover-pods'
  | 'tier-domain-names';

/** Fixes for cluster policies, as data (`policy` is the `Kind/name` id). */
export type TierFixSuggestion =
  /** Give the policy its own priority so that the order between tied policies is defined. */
  | { kind: 'set-cluster-policy-priority'; policy: string; priority: number }
  /** Delete a cluster policy rule that an earlier rule always decides first. */
  | {
      kind: 'remove-cluster-policy-rule';
      policy: string;
      direction: Direction;
      rule: number;
      /** `Kind/name direction[i]` of the rule that decides first. */
      decidedBy: string;
    }
  /** Replace a namespace selector (at `path` in the object) by `kubernetes.io/metadata.name In (namespaces)`. */
  | { kind: 'select-namespaces-by-name'; policy: string; path: (string | number)[]; namespaces: string[] };
