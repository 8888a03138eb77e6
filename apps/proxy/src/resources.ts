/**
 * The fixed allow-list of what the proxy ever asks a cluster for. Every cluster request is built
 * from this table and checked against it again just before it is sent, so no code path (and no
 * browser request) can reach secrets, exec, attach, port-forward or the API server's proxy.
 */

/** One Kubernetes resource the proxy lists and watches. */
export interface ResourceSpec {
  /** Stable id: `group/version/plural` (`core` for the legacy group). */
  id: string;
  group: string;
  version: string;
  /** The URL segment (lowercase plural). */
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Served only when a CRD (or an aggregated API) provides it: discovered before use. */
  optional: boolean;
  /**
   * False when the view stays meaningful without it: a user who may not read it still gets a
   * live view, with the missing right named.
   */
  essential: boolean;
}

function spec(
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  optional = false,
  essential = true,
): ResourceSpec {
  return {
    id: `${group || 'core'}/${version}/${plural}`,
    group,
    version,
    plural,
    kind,
    namespaced,
    optional,
    essential,
  };
}

/** Always read: what the evaluator needs to draw the graph. */
export const BUILTIN_RESOURCES: readonly ResourceSpec[] = [
  spec('', 'v1', 'namespaces', 'Namespace', false),
  spec('', 'v1', 'pods', 'Pod', true),
  spec('', 'v1', 'services', 'Service', true),
  spec('apps', 'v1', 'deployments', 'Deployment', true),
  spec('apps', 'v1', 'replicasets', 'ReplicaSet', true),
  spec('apps', 'v1', 'statefulsets', 'StatefulSet', true),
  spec('apps', 'v1', 'daemonsets', 'DaemonSet', true),
  spec('batch', 'v1', 'jobs', 'Job', true),
  spec('batch', 'v1', 'cronjobs', 'CronJob', true),
  spec('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true),
  // Only the node peers of cluster-wide policies need them, and a namespace-scoped user may not
  // read them: not essential.
  spec('', 'v1', 'nodes', 'Node', false, false, false),
];

/**
 * Read when their CRDs exist. Calico's policies are served either by its API server
 * (projectcalico.org/v3) or only as CRDs (crd.projectcalico.org/v1); both hold the same objects,
 * so the first one served wins (see `pickServed`).
 */
export const OPTIONAL_RESOURCES: readonly ResourceSpec[] = [
  spec('policy.networking.k8s.io', 'v1alpha1', 'adminnetworkpolicies', 'AdminNetworkPolicy', false, true),
  spec(
    'policy.networking.k8s.io',
    'v1alpha1',
    'baselineadminnetworkpolicies',
    'BaselineAdminNetworkPolicy',
    false,
    true,
  ),
  spec('policy.networking.k8s.io', 'v1alpha2', 'clusternetworkpolicies', 'ClusterNetworkPolicy', false, true),
  spec('cilium.io', 'v2', 'ciliumnetworkpolicies', 'CiliumNetworkPolicy', true, true),
  spec('cilium.io', 'v2', 'ciliumclusterwidenetworkpolicies', 'CiliumClusterwideNetworkPolicy', false, true),
  spec('projectcalico.org', 'v3', 'networkpolicies', 'NetworkPolicy', true, true),
  spec('projectcalico.org', 'v3', 'globalnetworkpolicies', 'GlobalNetworkPolicy', false, true),
  spec('crd.projectcalico.org', 'v1', 'networkpolicies', 'NetworkPolicy', true, true),
  spec('crd.projectcalico.org', 'v1', 'globalnetworkpolicies', 'GlobalNetworkPolicy', false, true),
];

/** Every resource the proxy may read. */
export const ALL_RESOURCES: readonly ResourceSpec[] = [...BUILTIN_RESOURCES, ...OPTIONAL_RESOURCES];

/** `apiVersion` as objects of this resource carry it. */
export function apiVersionOf(resource: ResourceSpec): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** The discovery document path of a group/version (`/api/v1`, `/apis/apps/v1`). */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/**
 * The collection path of a resource, optionally inside one namespace. Names are checked so a
 * namespace from the command line can never smuggle `/` or `..` into the path.
 */
export function collectionPath(resource: ResourceSpec, namespace?: string): string {
  const base = groupVersionPath(resource.group, resource.version);
  if (namespace === undefined || !resource.namespaced) return `${base}/${resource.plural}`;
  if (!isDnsLabel(namespace)) throw new Error(`invalid namespace name: ${JSON.stringify(namespace)}`);
  return `${base}/namespaces/${namespace}/${resource.plural}`;
}

/** Namespace names are RFC 1123 labels. */
export function isDnsLabel(name: string): boolean {
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name);
}

/** Resources with equal keys hold the same objects (Calico's two groups). */
export function servedKey(r: ResourceSpec): string {
  return r.group.endsWith('projectcalico.org') ? `calico/${r.kind}` : r.id;
}

/** `Kind.group`, as the browser is told about optional kinds (`CiliumNetworkPolicy.cilium.io`). */
export function kindAndGroup(r: ResourceSpec): string {
  return `${r.kind}.${r.group}`;
}

/**
 * Calico serves the same policies under two groups: keep only the first served of each kind,
 * so a cluster with both does not show every Calico policy twice.
 */
export function pickServed(served: readonly ResourceSpec[]): ResourceSpec[] {
  const seen = new Set<string>();
  const out: ResourceSpec[] = [];
  for (const r of served) {
    const key = servedKey(r);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

/** The only write the proxy makes: asking the API server what the user may do. */
export const SELF_SUBJECT_ACCESS_REVIEW_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

const DISCOVERY_PATHS = new Set(
  ALL_RESOURCES.map((r) => groupVersionPath(r.group, r.version)).concat(['/api', '/apis', '/version']),
);
const COLLECTIONS = new Set(ALL_RESOURCES.map((r) => groupVersionPath(r.group, r.version) + '/' + r.plural));

/**
 * The last line of defence: true only for GETs of discovery documents and of the allow-listed
 * collections (cluster-wide or in one namespace), and for the access-review POST. Subresources
 * (`/exec`, `/attach`, `/portforward`, `/proxy`), single objects and every other resource
 * (secrets, configmaps, ...) are refused, whatever code built the path.
 */
export function isAllowedClusterRequest(method: string, pathAndQuery: string): boolean {
  const path = pathAndQuery.split('?')[0] ?? '';
  if (path.includes('..') || path.includes('//') || /%2f|%2e/i.test(path)) return false;
  if (method === 'POST') return path === SELF_SUBJECT_ACCESS_REVIEW_PATH;
  if (method !== 'GET') return false;
  if (DISCOVERY_PATHS.has(path) || COLLECTIONS.has(path)) return true;
  const m = /^(\/api\/v1|\/apis\/[^/]+\/[^/]+)\/namespaces\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m) return false;
  const [, gv, namespace, plural] = m;
  return (
    isDnsLabel(namespace!) &&
    ALL_RESOURCES.some(
      (r) => r.namespaced && r.plural === plural && groupVersionPath(r.group, r.version) === gv,
    )
  );
}
