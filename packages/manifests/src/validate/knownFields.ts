// Unknown-field detection, as the API server's strict decoding does it when kubectl asks for
// field validation (the default since kubectl 1.27): every key the kind's schema does not define
// is reported as `unknown field "spec.podSelector.app"`. The schemas below cover the kinds that
// are analysed, down to the fields that matter for connectivity; subtrees marked `open` (probes,
// volumes, affinity...) are not checked, so that a field we do not list is never a false error.

import type { PathSegment } from '../diagnostics.ts';
import { formatFieldPath } from '../diagnostics.ts';
import { type Context, emit, isObject } from './fieldErrors.ts';
import type { FieldValidation } from './options.ts';

type Shape =
  | 'leaf'
  | 'open'
  | { readonly fields: Readonly<Record<string, Shape>> }
  | { readonly items: Shape }
  | { readonly values: Shape };

const LEAF = 'leaf';
const OPEN = 'open';
const fields = (f: Record<string, Shape>): Shape => ({ fields: f });
const listOf = (items: Shape): Shape => ({ items });
const mapOf = (values: Shape): Shape => ({ values });
const leaves = (...names: string[]): Record<string, Shape> =>
  Object.fromEntries(names.map((name) => [name, LEAF]));
const opens = (...names: string[]): Record<string, Shape> =>
  Object.fromEntries(names.map((name) => [name, OPEN]));

const OBJECT_META = fields({
  ...leaves(
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
  ),
  labels: mapOf(LEAF),
  annotations: mapOf(LEAF),
  ownerReferences: listOf(
    fields(leaves('apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion')),
  ),
  finalizers: listOf(LEAF),
  managedFields: OPEN,
});

const LABEL_SELECTOR = fields({
  matchLabels: mapOf(LEAF),
  matchExpressions: listOf(fields({ ...leaves('key', 'operator'), values: listOf(LEAF) })),
});

const NETWORK_POLICY_PEER = fields({
  podSelector: LABEL_SELECTOR,
  namespaceSelector: LABEL_SELECTOR,
  ipBlock: fields({ cidr: LEAF, except: listOf(LEAF) }),
});
const NETWORK_POLICY_PORTS = listOf(fields(leaves('protocol', 'port', 'endPort')));

const CONTAINER = fields({
  ...leaves(
    'name',
    'image',
    'workingDir',
    'restartPolicy',
    'terminationMessagePath',
    'terminationMessagePolicy',
    'imagePullPolicy',
    'stdin',
    'stdinOnce',
    'tty',
  ),
  ...opens(
    'command',
    'args',
    'envFrom',
    'env',
    'resources',
    'resizePolicy',
    'restartPolicyRules',
    'volumeMounts',
    'volumeDevices',
    'livenessProbe',
    'readinessProbe',
    'startupProbe',
    'lifecycle',
    'securityContext',
  ),
  ports: listOf(fields(leaves('name', 'hostPort', 'containerPort', 'protocol', 'hostIP'))),
});

const POD_SPEC = fields({
  ...leaves(
    'restartPolicy',
    'terminationGracePeriodSeconds',
    'activeDeadlineSeconds',
    'dnsPolicy',
    'serviceAccountName',
    'serviceAccount',
    'automountServiceAccountToken',
    'nodeName',
    'hostNetwork',
    'hostPID',
    'hostIPC',
    'shareProcessNamespace',
    'hostname',
    'subdomain',
    'schedulerName',
    'priorityClassName',
    'priority',
    'runtimeClassName',
    'enableServiceLinks',
    'preemptionPolicy',
    'setHostnameAsFQDN',
    'hostUsers',
    'hostnameOverride',
  ),
  ...opens(
    'volumes',
    'ephemeralContainers',
    'nodeSelector',
    'securityContext',
    'imagePullSecrets',
    'affinity',
    'tolerations',
    'hostAliases',
    'dnsConfig',
    'readinessGates',
    'overhead',
    'topologySpreadConstraints',
    'os',
    'schedulingGates',
    'resourceClaims',
    'resources',
    'workloadRef',
  ),
  containers: listOf(CONTAINER),
  initContainers: listOf(CONTAINER),
});

const POD_TEMPLATE = fields({ metadata: OBJECT_META, spec: POD_SPEC });

const JOB_SPEC = fields({
  ...leaves(
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'backoffLimitPerIndex',
    'maxFailedIndexes',
    'manualSelector',
    'ttlSecondsAfterFinished',
    'completionMode',
    'suspend',
    'podReplacementPolicy',
    'managedBy',
  ),
  ...opens('podFailurePolicy', 'successPolicy'),
  selector: LABEL_SELECTOR,
  template: POD_TEMPLATE,
});

const SPECS: Readonly<Record<string, Shape>> = {
  NetworkPolicy: fields({
    podSelector: LABEL_SELECTOR,
    ingress: listOf(fields({ ports: NETWORK_POLICY_PORTS, from: listOf(NETWORK_POLICY_PEER) })),
    egress: listOf(fields({ ports: NETWORK_POLICY_PORTS, to: listOf(NETWORK_POLICY_PEER) })),
    policyTypes: listOf(LEAF),
  }),
  Namespace: fields({ finalizers: listOf(LEAF) }),
  Pod: POD_SPEC,
  Service: fields({
    ...leaves(
      'clusterIP',
      'type',
      'sessionAffinity',
      'loadBalancerIP',
      'externalName',
      'externalTrafficPolicy',
      'healthCheckNodePort',
      'publishNotReadyAddresses',
      'ipFamilyPolicy',
      'allocateLoadBalancerNodePorts',
      'loadBalancerClass',
      'internalTrafficPolicy',
      'trafficDistribution',
    ),
    ...opens('clusterIPs', 'externalIPs', 'loadBalancerSourceRanges', 'sessionAffinityConfig', 'ipFamilies'),
    selector: mapOf(LEAF),
    ports: listOf(fields(leaves('name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'))),
  }),
  Deployment: fields({
    ...leaves('replicas', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'),
    strategy: OPEN,
    selector: LABEL_SELECTOR,
    template: POD_TEMPLATE,
  }),
  ReplicaSet: fields({
    ...leaves('replicas', 'minReadySeconds'),
    selector: LABEL_SELECTOR,
    template: POD_TEMPLATE,
  }),
  StatefulSet: fields({
    ...leaves('replicas', 'serviceName', 'podManagementPolicy', 'revisionHistoryLimit', 'minReadySeconds'),
    ...opens('volumeClaimTemplates', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'ordinals'),
    selector: LABEL_SELECTOR,
    template: POD_TEMPLATE,
  }),
  DaemonSet: fields({
    ...leaves('minReadySeconds', 'revisionHistoryLimit'),
    updateStrategy: OPEN,
    selector: LABEL_SELECTOR,
    template: POD_TEMPLATE,
  }),
  ReplicationController: fields({
    ...leaves('replicas', 'minReadySeconds'),
    selector: mapOf(LEAF),
    template: POD_TEMPLATE,
  }),
  Job: JOB_SPEC,
  CronJob: fields({
    ...leaves(
      'schedule',
      'timeZone',
      'startingDeadlineSeconds',
      'concurrencyPolicy',
      'suspend',
      'successfulJobsHistoryLimit',
      'failedJobsHistoryLimit',
    ),
    jobTemplate: fields({ metadata: OBJECT_META, spec: JOB_SPEC }),
  }),
};

/**
 * Reports the fields of `raw` that `kind` does not define: errors under `Strict`, warnings under
 * `Warn` (kubectl prints them as `Warning: unknown field ...`), nothing under `Ignore` or for a
 * kind whose schema is not known here. A networking.k8s.io/v1 NetworkPolicy has no `status`.
 */
export function validateKnownFields(ctx: Context, kind: string, raw: unknown, mode: FieldValidation): void {
  const spec = SPECS[kind];
  if (mode === 'Ignore' || spec === undefined || !isObject(raw)) return;
  const top = fields({
    ...leaves('apiVersion', 'kind'),
    metadata: OBJECT_META,
    spec,
    ...(kind === 'NetworkPolicy' ? {} : { status: OPEN }),
  });
  walk(ctx, top, raw, [], mode === 'Strict' ? 'error' : 'warning');
}

function walk(
  ctx: Context,
  shape: Shape,
  value: unknown,
  path: PathSegment[],
  severity: 'error' | 'warning',
): void {
  if (shape === LEAF || shape === OPEN) return;
  if ('fields' in shape) {
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const known = shape.fields[key];
      if (known === undefined) {
        const childPath = [...path, key];
        emit(
          ctx,
          'unknown-field',
          childPath,
          `unknown field "${formatFieldPath(childPath)}"`,
          childPath,
          severity,
        );
      } else {
        walk(ctx, known, child, [...path, key], severity);
      }
    }
  } else if ('items' in shape) {
    if (!Array.isArray(value)) return;
    value.forEach((item, i) => {
      walk(ctx, shape.items, item, [...path, i], severity);
    });
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value))
      walk(ctx, shape.values, child, [...path, key], severity);
  }
}
