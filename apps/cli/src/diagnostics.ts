import { policyId } from '@netpol-atlas/evaluator';
import type { Diagnostic, KubeObject } from '@netpol-atlas/manifests';
import { clusterPolicyCompatMessage } from './compatClusterPolicy.ts';

/** `file:line:col: severity: field: message [code]`, the form editors and CI logs link from. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.range ? `${d.file}:${d.range.start.line}:${d.range.start.column}` : d.file;
  const field = d.field ? `${d.field}: ` : '';
  return `${where}: ${d.severity}: ${field}${d.message} [${d.code}]`;
}

/** Reads a value from an object's decoded document by API field path (`spec.ingress[0].ports[0].port`). */
function valueAt(raw: unknown, field: string): unknown {
  let node: unknown = raw;
  for (const part of field.match(/[^.[\]]+/g) ?? []) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[/^\d+$/.test(part) ? Number(part) : part];
  }
  return node;
}

/**
 * netpol-analyzer's wording for the fatal errors both tools detect, so scripts that grep its
 * messages keep working under `--compat netpol-analyzer`. Our own wording is the API server's.
 */
export function compatMessage(d: Diagnostic, objects: readonly KubeObject[]): string {
  const detail = `${d.field ? `${d.field}: ` : ''}${d.message}`;
  switch (d.code) {
    case 'np-invalid-cidr':
    case 'np-except-not-subset':
      return `CIDR error: invalid CIDR address: ${detail}`;
    case 'selector-invalid-key':
      return `selector error: key: ${d.message}`;
    case 'selector-invalid-value':
    case 'selector-invalid-operator':
    case 'selector-values-required':
    case 'selector-values-forbidden':
      return `selector error: ${detail}`;
    case 'np-peer-ipblock-with-selector':
      return 'rule NetworkPolicyPeer error: cannot have both IPBlock and PodSelector/NamespaceSelector set';
    case 'np-peer-empty':
      return 'rule NetworkPolicyPeer error: cannot have empty rule peer';
    case 'np-endport-named':
      return 'endPort field cannot be defined if the port field is defined as a named (string) port';
    case 'np-endport-less-than-port': {
      const policy = objects.find((o) => o.kind === 'NetworkPolicy' && policyId(o) === d.object);
      const portField = d.field.replace(/\.endPort$/, '.port');
      const port = policy ? valueAt(policy.raw, portField) : '?';
      const endPort = policy ? valueAt(policy.raw, d.field) : '?';
      return `port range ${String(port)}-${String(endPort)} is legal; start and end values of the port range should be in {1-65535} and end may not be less than start`;
    }
    default:
      return clusterPolicyCompatMessage(d, objects) ?? detail;
  }
}
