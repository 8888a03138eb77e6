// Readers of the object kinds whose fields need more than the shared metadata: pods, workloads
// and the cluster-wide policy kinds. parse.ts decides the kind and calls them.

import { readClusterPolicySpec } from './clusterPolicyDecode.ts';
import type { FieldReader } from './decode.ts';
import type { Diagnostic } from './diagnostics.ts';
import { sharedString } from './sharedStrings.ts';
import type {
  ClusterPolicyKind,
  ClusterPolicyObject,
  PodObject,
  WorkloadKind,
  WorkloadObject,
} from './types.ts';
import { validateClusterPolicy } from './validate/clusterPolicy.ts';

/** The fields every object shares, read before its kind's own. */
export type Base = Pick<PodObject, 'apiVersion' | 'metadata' | 'source' | 'raw'>;

/** A ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy, validated as its CRD does. */
export function readClusterPolicy(
  reader: FieldReader,
  kind: ClusterPolicyKind,
  raw: Readonly<Record<string, unknown>>,
  base: Base,
  diagnostics: Diagnostic[],
): ClusterPolicyObject {
  const validation = validateClusterPolicy(raw, base.source.locate, base.source.file);
  const spec = readClusterPolicySpec(reader, kind, raw);
  // As for NetworkPolicy: a malformed name leaves the meaning clear; spec (and version) errors do not.
  const specErrors = validation.filter((d) => d.severity === 'error' && !d.code.startsWith('meta-'));
  const valid = specErrors.length === 0 && reader.diagnostics.length === 0;
  diagnostics.push(...validation);
  // The validator reports wrong types itself, with the API server's wording: keep one of each.
  const reported = new Set(validation.map((d) => d.field));
  reader.diagnostics.splice(
    0,
    reader.diagnostics.length,
    ...reader.diagnostics.filter((d) => !reported.has(d.field)),
  );
  // Cluster-scoped: a namespace written on the object is cleared by the API server.
  const metadata = { ...base.metadata, namespace: undefined };
  return { apiVersion: base.apiVersion, metadata, source: base.source, raw: base.raw, kind, spec, valid };
}

/** A Pod with its template, IPs and phase. */
export function readPod(reader: FieldReader, raw: Readonly<Record<string, unknown>>, base: Base): PodObject {
  const status = reader.map(raw.status, ['status']) ?? {};
  const ips: string[] = [];
  const podIPs = reader.list(status.podIPs, ['status', 'podIPs']) ?? [];
  podIPs.forEach((entry, i) => {
    const ip = reader.string(reader.map(entry, ['status', 'podIPs', i])?.ip, ['status', 'podIPs', i, 'ip']);
    if (ip) ips.push(ip);
  });
  const single = reader.string(status.podIP, ['status', 'podIP']);
  if (single && !ips.includes(single)) ips.unshift(single);
  const phase = reader.string(status.phase, ['status', 'phase']);
  // Field by field rather than spread from `base`: see readObject in parse.ts.
  return {
    apiVersion: base.apiVersion,
    metadata: base.metadata,
    source: base.source,
    raw: base.raw,
    kind: 'Pod',
    template: reader.podTemplate(raw.metadata, raw.spec, []),
    podIPs: ips,
    hostIP: reader.string(status.hostIP, ['status', 'hostIP']),
    phase: phase === undefined ? undefined : sharedString(phase),
  };
}

/** A workload with its pod template (a CronJob's sits under its job template). */
export function readWorkload(
  reader: FieldReader,
  kind: WorkloadKind,
  raw: Readonly<Record<string, unknown>>,
  base: Base,
): WorkloadObject {
  const spec = reader.map(raw.spec, ['spec']) ?? {};
  let templatePath: string[] = ['spec', 'template'];
  let template = reader.map(spec.template, templatePath);
  if (kind === 'CronJob') {
    templatePath = ['spec', 'jobTemplate', 'spec', 'template'];
    const jobTemplate = reader.map(spec.jobTemplate, ['spec', 'jobTemplate']) ?? {};
    const jobSpec = reader.map(jobTemplate.spec, ['spec', 'jobTemplate', 'spec']) ?? {};
    template = reader.map(jobSpec.template, templatePath);
  }
  return {
    apiVersion: base.apiVersion,
    metadata: base.metadata,
    source: base.source,
    raw: base.raw,
    kind,
    template: reader.podTemplate(template?.metadata, template?.spec, templatePath),
    replicas: reader.integer(spec.replicas, ['spec', 'replicas']),
  };
}
