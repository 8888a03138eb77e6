/**
 * What the live-cluster proxy (apps/proxy) sends the browser (apps/web/src/live): plain JSON
 * types with no Node or DOM dependency, shared by both so they cannot drift.
 */

/**
 * The header a browser tab sends with a random id of its own (8 to 128 of `A-Z a-z 0-9 _ -`),
 * so the proxy's per-client cap on event streams counts tabs: every tab shares the launch token
 * and the loopback address.
 */
export const SESSION_HEADER = 'x-netpol-atlas-session';

/** The sync state of one context, as the proxy sees it. */
export type SyncState = 'connecting' | 'live' | 'stale' | 'error';

/** A verb the user may not use on a resource, as SelfSubjectAccessReview answered. */
export interface MissingPermission {
  verb: string;
  /** API group, `''` for the core group. */
  group: string;
  resource: string;
  /** `null`: at the cluster scope (all namespaces). */
  namespace: string | null;
}

/** How one list/watch is doing. */
export interface ResourceStatus {
  /** `group/version/plural`. */
  resource: string;
  namespace: string | null;
  /** `not-installed`: the API server answered 404 for an optional kind (its CRD is not there). */
  phase: 'pending' | 'listing' | 'watching' | 'retrying' | 'not-installed';
  objects: number;
  error: string | null;
}

/** Carried by every message, so the browser can never show stale data as fresh. */
export interface SyncStatus {
  state: SyncState;
  /**
   * When the data was last known complete and current (ISO 8601); the send time while live,
   * the moment sync was lost otherwise; null before the first complete list.
   */
  lastSync: string | null;
  error: string | null;
  missingPermissions: MissingPermission[];
  resources: ResourceStatus[];
  /** Kinds read from optional CRDs this cluster serves, with their group (`CiliumNetworkPolicy.cilium.io`). */
  extraKinds: string[];
  /**
   * Optional kinds this cluster does not serve (`ClusterNetworkPolicy.policy.networking.k8s.io`):
   * their CRD is not installed, which is not an error. Empty until discovery completed.
   */
  notInstalled: string[];
}

/** One file of a manifest bundle. */
export interface ManifestFile {
  path: string;
  text: string;
}

/** `event: snapshot` on /api/events, and the body of /api/snapshot. */
export interface SnapshotMessage {
  context: string;
  /** Grows with every change of the objects; equal revisions carry equal files. */
  revision: number;
  sync: SyncStatus;
  files: ManifestFile[];
}

/** `event: status` on /api/events: the state changed, or a heartbeat. */
export interface StatusMessage {
  context: string;
  revision: number;
  sync: SyncStatus;
}

/** A context the user may pick. */
export interface ContextChoice {
  name: string;
  usable: boolean;
  problem?: string;
}

/** GET /api/info: what the proxy can offer. Never holds servers, paths or credentials. */
export interface InfoResponse {
  kubeconfig: { found: boolean; source: string | null; error: string | null };
  contexts: ContextChoice[];
  /** The context to preselect (`--context`, else the kubeconfig's current context). */
  defaultContext: string | null;
  /** True when `--context` was given: the user already chose, connect at once. */
  autoConnect: boolean;
  namespaces: string[];
  /** The proxy sends a status at least this often; silence for longer means trouble. */
  heartbeatMs: number;
}

/** Body of every error response of the API. */
export interface ErrorResponse {
  error: string;
}
