/** One allowed connection between two peers, already rendered as netpol-analyzer strings. */
export interface ConnLine {
  src: string;
  dst: string;
  conn: string;
}

/** A peer that exists in the analysed manifests, for the dot format's node list. */
export interface PeerNode {
  /** e.g. "default/frontend[Deployment]" or "0.0.0.0-255.255.255.255[External]" */
  id: string;
  kind: 'workload' | 'external' | 'ingress-controller';
  /** For workloads. */
  namespace?: string;
  /** The "frontend[Deployment]" label part, for workloads. */
  name?: string;
}

export interface ListReport {
  /**
   * In any order (the formatters sort them). `buildListReport` gives a `ConnLines` table, which
   * holds millions of lines compactly and sorts them without comparing strings per line.
   */
  lines: Iterable<ConnLine>;
  peers: PeerNode[];
  /**
   * Set when the analysis was focused on one connection (`--focusconn tcp-8080`), in the form the txt header
   * prints it: "TCP 8080". Formats then drop the conn column, and dot labels every edge with this string.
   */
  focusConn?: string;
}

export type DiffType = 'changed' | 'added' | 'removed';

export interface DiffLine {
  diffType: DiffType;
  src: string;
  dst: string;
  /** "No Connections" when none. */
  before: string;
  after: string;
  /** workloads-diff-info, '' if none. */
  info: string;
  ingressController: boolean;
}

export interface DiffReport {
  lines: DiffLine[];
  peers: {
    id: string;
    status: 'persistent' | 'new' | 'lost';
    kind: PeerNode['kind'];
    namespace?: string;
    name?: string;
  }[];
  /** ['ref1','ref2'] | ['dir1','dir2'] | ['old','new'] */
  refNames: [string, string];
  /**
   * Pairs whose connection is the same in both refs. Added beyond the agreed shape because upstream's dot diff
   * draws them as grey edges (and their end points as nodes); the text formats never print them. A pair whose
   * src is `{ingress-controller}` is grouped with the ingress-controller edges, as upstream does.
   */
  unchanged?: ConnLine[];
}
