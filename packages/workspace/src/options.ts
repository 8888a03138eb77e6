import type { ClusterNetworks, ClusterOptions } from '@netpol-atlas/evaluator';
import type { ParseOptions, ValidationOptions } from '@netpol-atlas/manifests';

/**
 * Which parsed objects the cluster is built from. `api-server`: what the API server would admit;
 * an object an error points into is left out (and reported). `all`: every object read (invalid
 * NetworkPolicies are still left out by the evaluator, which cannot compile them).
 */
export type Admission = 'api-server' | 'all';

/** How a {@link Workspace} reads and evaluates its documents. */
export interface WorkspaceOptions {
  /** Evaluation semantics: compat mode, CNI profile, granularity. */
  cluster?: ClusterOptions;
  /** The API server the manifests are checked against (`--kube-version`, field validation). */
  validation?: ValidationOptions;
  /**
   * Default `api-server`. Under `compat: 'netpol-analyzer'` nothing is left out: netpol-analyzer
   * stops on fatal errors instead, which the caller reads from the diagnostics.
   */
  admission?: Admission;
  /**
   * Parser limits. `stopAtSyntaxError` defaults to true under `compat: 'netpol-analyzer'`
   * (its decoder cannot read past a syntax error, and its corpus expects the file cut there).
   */
  parse?: Omit<ParseOptions, 'validation'>;
  /**
   * Earlier revisions kept for {@link Workspace.diff} and {@link Workspace.connectionsSince}.
   * Default 2. Each keeps what was computed for it (its cluster and analysis, when asked for), so
   * a workspace whose history must not hold memory says 0.
   */
  history?: number;
  /**
   * The cluster's pod, Service and node CIDRs (`--pod-cidr`, `--service-cidr`, `--node-cidr`):
   * the review checks what ipBlocks reach against them, beside the addresses the input shows.
   */
  networks?: ClusterNetworks;
}

/** Options with every default applied: what a revision is compiled under. */
export interface ResolvedOptions {
  cluster: ClusterOptions;
  parse: ParseOptions;
  admission: Admission;
  history: number;
}

const DEFAULT_HISTORY = 2;

/** Applies the defaults of {@link WorkspaceOptions}. */
export function resolveOptions(options: WorkspaceOptions): ResolvedOptions {
  const cluster = options.cluster ?? {};
  const compat = cluster.compat === 'netpol-analyzer';
  return {
    cluster,
    parse: {
      stopAtSyntaxError: compat,
      ...options.parse,
      validation: options.validation ?? {},
    },
    admission: compat ? 'all' : (options.admission ?? 'api-server'),
    history: Math.max(0, Math.floor(options.history ?? DEFAULT_HISTORY)),
  };
}

/** True when two option sets read text alike, so parse results of one serve the other. */
export function sameParsing(a: ParseOptions, b: ParseOptions): boolean {
  return canonical(a) === canonical(b);
}

/** Plain option data as text with sorted keys, so key order never makes two equal options differ. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}
