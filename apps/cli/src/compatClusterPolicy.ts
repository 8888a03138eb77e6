import type { Diagnostic, KubeObject } from '@netpol-atlas/manifests';

// netpol-analyzer checks AdminNetworkPolicy and BaselineAdminNetworkPolicy objects itself, with
// its own sentences; the API server (our validator) finds the same faults through the CRD
// schema. This maps one to the other, so that scripts grepping netpol-analyzer's errors keep
// working under `--compat netpol-analyzer`.

const RULE = /^spec\.(ingress|egress)\[(\d+)\]/;

/** The fault netpol-analyzer names for a CRD finding, or undefined when it has no sentence for it. */
function analyzerFault(d: Diagnostic, priority: unknown, name: string): string | undefined {
  const field = d.field;
  const properties = d.code === 'crd-max-properties' || d.code === 'crd-min-properties';
  if (field === 'spec.priority' && (d.code === 'crd-maximum' || d.code === 'crd-minimum')) {
    return `Invalid Priority Value: ${String(priority)} in Admin Network Policy: "${name}"; Priority value must be between 0-1000`;
  }
  if (field === 'spec.subject' && (properties || d.code === 'crd-required'))
    return 'exactly one field must be set in a subject';
  if (/\.(from|to)$/.test(field) && (d.code === 'crd-required' || d.code === 'crd-min-items')) {
    return `${field.endsWith('.from') ? 'from' : 'to'} field must be defined and contain at least one item`;
  }
  if (/\.(from|to)\[\d+\]$/.test(field) && properties) return 'exactly one field must be set in a rule peer';
  if (/\.ports\[\d+\]$/.test(field) && properties)
    return 'exactly one field must be set in an AdminNetworkPolicyPort';
  if (/\.action$/.test(field) && (d.code === 'crd-enum' || d.code === 'crd-required'))
    return 'unrecognized action';
  if (d.code === 'cel-cidr' || d.code === 'anp-invalid-cidr') return `invalid CIDR address: ${d.message}`;
  if (d.code === 'anp-port-range-reversed') return d.message;
  return undefined;
}

/**
 * netpol-analyzer's sentence for an error in an AdminNetworkPolicy or BaselineAdminNetworkPolicy
 * (`admin network policy "x": in rule "r": unrecognized action`), or undefined when the
 * diagnostic is about something else or netpol-analyzer has no sentence for it.
 */
export function clusterPolicyCompatMessage(
  d: Diagnostic,
  objects: readonly KubeObject[],
): string | undefined {
  if (d.kind !== 'AdminNetworkPolicy' && d.kind !== 'BaselineAdminNetworkPolicy') return undefined;
  // The validator names an object by its name, the evaluator by `Kind/name`.
  const name = (d.object ?? '').replace(`${d.kind}/`, '');
  const object = objects.find((o) => o.kind === d.kind && o.metadata.name === name);
  const raw = (object?.raw ?? {}) as { spec?: Record<string, unknown> };
  const fault = analyzerFault(d, raw.spec?.priority, name);
  if (fault === undefined) return undefined;
  if (d.field === 'spec.priority') return fault;
  const title =
    d.kind === 'AdminNetworkPolicy'
      ? `admin network policy "${name}": `
      : 'default baseline admin network policy: ';
  const rule = RULE.exec(d.field);
  if (!rule) return `${title}${fault}`;
  const rules = raw.spec?.[rule[1]!];
  const ruleName = Array.isArray(rules)
    ? (rules[Number(rule[2])] as { name?: unknown } | undefined)?.name
    : undefined;
  return `${title}in rule "${typeof ruleName === 'string' ? ruleName : ''}": ${fault}`;
}
