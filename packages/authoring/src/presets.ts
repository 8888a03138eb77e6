import {
  DEFAULT_NAMESPACE,
  explainConnection,
  intersectConnections,
  isEmptyConnections,
  NAMESPACE_NAME_LABEL,
  plural,
  portRangeConnections,
  subtractConnections,
  unionConnections,
  type WorkloadPeer,
} from '@netpol-atlas/evaluator';
import { type Compiled, compile } from './compiled.ts';
import { PolicyEditSet } from './editSet.ts';
import { deepEqual, isPlainObject } from './json.ts';
import { selectorFor, stableLabels } from './peers.ts';
import { failure, planOk } from './planResult.ts';
import type { Change, Plan, PlanOptions, PlanSource } from './types.ts';
import { verifyEdits } from './verify.ts';

/** What a preset applies to: a namespace (by name, or as a ref) or one workload (`ns/name[Kind]`). */
export type PresetTarget = string | { kind: 'namespace'; name: string } | { kind: 'workload'; id: string };

interface ResolvedTarget {
  namespace: string;
  selector: Record<string, unknown>;
  /** The workloads the policy selects now. */
  workloads: WorkloadPeer[];
  /** Prefix for the policy name (`''` for a whole namespace). */
  prefix: string;
  text: string;
}

function resolveTarget(ws: Compiled, target: PresetTarget): ResolvedTarget | Plan {
  const ref = typeof target === 'string' ? { kind: 'namespace' as const, name: target } : target;
  if (ref.kind === 'namespace') {
    if (!ws.cluster.namespaces.has(ref.name))
      return failure('unknown-peer', `no namespace ${ref.name} in the files`);
    return {
      namespace: ref.name,
      selector: {},
      workloads: ws.cluster.workloads.filter((w) => w.namespace === ref.name),
      prefix: '',
      text: `namespace ${ref.name}`,
    };
  }
  const workload = ws.cluster.workloads.find((w) => w.id === ref.id);
  if (!workload) return failure('unknown-peer', `no workload ${ref.id} in the files`);
  const labels = stableLabels(workload.labels);
  if (Object.keys(labels).length === 0) {
    return failure('no-stable-labels', `${ref.id} has no stable pod labels a policy could select it by`);
  }
  const selector = selectorFor(labels);
  return {
    namespace: workload.namespace,
    selector,
    workloads: ws.cluster.workloads.filter(
      (w) =>
        w.namespace === workload.namespace && Object.entries(labels).every(([k, v]) => w.labels[k] === v),
    ),
    prefix: workload.name,
    text: workload.id,
  };
}

/** What every preset starts from: the compiled source, its target, and the ids of the target's workloads. */
function presetScope(
  files: PlanSource,
  target: PresetTarget,
  options: PlanOptions,
): { ws: Compiled; resolved: ResolvedTarget; ids: ReadonlySet<string> } | Plan {
  const ws = compile(files, options);
  const resolved = resolveTarget(ws, target);
  if ('ok' in resolved) return resolved;
  return { ws, resolved, ids: new Set(resolved.workloads.map((w) => w.id)) };
}

function normalizeSpec(spec: unknown): unknown {
  const s = isPlainObject(spec) ? spec : {};
  const selector = isPlainObject(s.podSelector) ? s.podSelector : {};
  const labels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  return {
    labels,
    expressions,
    types: [...list(s.policyTypes)].sort(),
    ingress: list(s.ingress),
    egress: list(s.egress),
  };
}

/** The shared path of every preset: skip if present, append, verify, classify. */
function applyPreset(
  ws: Compiled,
  target: ResolvedTarget,
  name: string,
  spec: Record<string, unknown>,
  comment: string,
  classify: (change: Change, index: number, kind: 'added' | 'removed') => boolean,
  check?: (after: Compiled) => string | undefined,
): Plan {
  const existing = ws.parsed.objects.find(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      (o.metadata.namespace ?? DEFAULT_NAMESPACE) === target.namespace &&
      deepEqual(normalizeSpec(o.raw.spec), normalizeSpec(spec)),
  );
  if (existing) {
    return failure(
      'already-applied',
      `${target.namespace}/${existing.metadata.name} already does this for ${target.text}`,
    );
  }
  const edits = new PolicyEditSet(ws);
  const words = target.prefix === '' ? [name] : [target.prefix, name];
  const id = edits.create(target.namespace, words, spec, comment);
  const fileEdits = edits.render();
  const verification = verifyEdits(ws, fileEdits, [], [id]);
  if (verification.problems.length > 0) {
    return failure(
      'not-verified',
      `the policy would introduce problems: ${verification.problems.join('; ')}`,
    );
  }
  const problem = check?.(verification.after);
  if (problem) return failure('not-verified', problem);
  const sideEffects = [
    ...verification.added.filter((c, i) => !classify(c, i, 'added')),
    ...verification.removed.filter((c, i) => !classify(c, i, 'removed')),
  ];
  const counts = `adds ${plural(verification.added.length, 'connection')} and removes ${plural(verification.removed.length, 'connection')}`;
  const warnings =
    target.workloads.length === 0
      ? [`${target.text} has no workloads in the files: nothing to verify against yet`]
      : [];
  return planOk({
    edits: fileEdits,
    added: verification.added,
    removed: verification.removed,
    sideEffects,
    summary: `New policy ${id} for ${target.text}: ${counts}${sideEffects.length > 0 ? `, ${sideEffects.length} of them side effects` : ''}.`,
    warnings,
  });
}

/**
 * Default-deny ingress for a namespace (or one workload): a policy selecting its pods for Ingress
 * with no rules, so only what other policies allow gets in. Removes every connection into them
 * that no other policy admits; adds none.
 */
export function presetDefaultDenyIngress(
  files: PlanSource,
  target: PresetTarget,
  options: PlanOptions = {},
): Plan {
  const scope = presetScope(files, target, options);
  if ('ok' in scope) return scope;
  const { ws, resolved, ids } = scope;
  return applyPreset(
    ws,
    resolved,
    'default-deny-ingress',
    { podSelector: resolved.selector, policyTypes: ['Ingress'] },
    `Default-deny ingress for ${resolved.text}: only what other policies allow gets in (generated by netpol-atlas).`,
    (c, _i, kind) => kind === 'removed' && ids.has(c.dst),
  );
}

/** The rule peer for kube-dns: pods `k8s-app: kube-dns` in the namespace named `kube-system`. */
export const DNS_PEER = {
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};
/** UDP and TCP 53, the ports name resolution uses. */
export const DNS_PORTS = unionConnections(
  portRangeConnections('UDP', 53, 53),
  portRangeConnections('TCP', 53, 53),
);

/** True for the workload {@link DNS_PEER} admits. */
export function isKubeDns(w: WorkloadPeer): boolean {
  return w.namespace === 'kube-system' && w.labels['k8s-app'] === 'kube-dns';
}

/**
 * Default-deny egress that keeps DNS: a policy selecting the pods for Egress whose one rule admits
 * kube-dns (pods `k8s-app: kube-dns` in the namespace named `kube-system`) on UDP and TCP 53.
 * Without it, isolating egress breaks name resolution for every pod. Verified: pods that could
 * reach kube-dns on port 53 before still can.
 */
export function presetDefaultDenyEgressKeepDns(
  files: PlanSource,
  target: PresetTarget,
  options: PlanOptions = {},
): Plan {
  const scope = presetScope(files, target, options);
  if ('ok' in scope) return scope;
  const { ws, resolved, ids } = scope;
  const dns = ws.cluster.workloads.filter(isKubeDns).map((w) => w.id);
  const spec = {
    podSelector: resolved.selector,
    policyTypes: ['Egress'],
    egress: [
      {
        to: [DNS_PEER],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ],
  };
  const plan = applyPreset(
    ws,
    resolved,
    'default-deny-egress',
    spec,
    `Default-deny egress for ${resolved.text}, keeping DNS (kube-dns, UDP and TCP 53) (generated by netpol-atlas).`,
    // Losing DNS would be a side effect: the check below makes sure it does not happen.
    (c, _i, kind) =>
      kind === 'removed' &&
      ids.has(c.src) &&
      !(dns.includes(c.dst) && !isEmptyConnections(intersectConnections(c.conn, DNS_PORTS))),
    (after) => {
      for (const src of after.cluster.workloads.filter((w) => ids.has(w.id))) {
        for (const target of after.cluster.workloads.filter(isKubeDns)) {
          const egress = explainConnection(after.cluster, src, target).egress.conn;
          if (!isEmptyConnections(subtractConnections(DNS_PORTS, egress))) {
            return `${src.id} could not reach ${target.id} on UDP/TCP 53 after the change`;
          }
        }
      }
      return undefined;
    },
  );
  if (plan.ok && dns.length === 0) {
    plan.warnings.push(
      'no kube-dns workload in the files: the DNS rule is written but could not be exercised',
    );
  }
  return plan;
}

/**
 * Allow within the namespace: a policy selecting every pod of the namespace that admits ingress
 * from every pod of the same namespace (and, when all of them are already egress-isolated, egress
 * to it). Pods that were not isolated for ingress become so: what they lose from other
 * namespaces is listed as side effects.
 */
export function presetAllowWithinNamespace(
  files: PlanSource,
  namespace: string,
  options: PlanOptions = {},
): Plan {
  const scope = presetScope(files, namespace, options);
  if ('ok' in scope) return scope;
  const { ws, resolved, ids } = scope;
  const egressIsolated =
    resolved.workloads.length > 0 &&
    resolved.workloads.every((w) => ws.cluster.egressPolicies[w.index]!.length > 0);
  const sameNamespace = { podSelector: {} };
  const spec: Record<string, unknown> = {
    podSelector: {},
    policyTypes: egressIsolated ? ['Ingress', 'Egress'] : ['Ingress'],
    ingress: [{ from: [sameNamespace] }],
  };
  if (egressIsolated) spec.egress = [{ to: [sameNamespace] }];
  const plan = applyPreset(
    ws,
    resolved,
    'allow-same-namespace',
    spec,
    `Pods of ${namespace} may talk to each other (generated by netpol-atlas).`,
    (c, _i, kind) => kind === 'added' && ids.has(c.src) && ids.has(c.dst),
  );
  if (plan.ok && plan.removed.length > 0) {
    plan.warnings.push(
      `pods of ${namespace} were not isolated for ingress: they now accept only their own namespace (and what other policies allow)`,
    );
  }
  return plan;
}
