import { type PolicyForm, readPolicyForm, type SelectorForm } from '@netpol-atlas/authoring';
import { policyId } from '@netpol-atlas/evaluator';
import { parseManifests } from '@netpol-atlas/manifests';

/** A selector that matches everything: where every new selector starts. */
export function emptySelector(): SelectorForm {
  return { matchLabels: {}, matchExpressions: [] };
}

/** Comma-separated text as a list (values of an expression, excepts of an ipBlock). */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The form of policy `ns/name`, read from its own file only (the rest of the workspace is not needed). */
export function loadPolicyForm(file: { path: string; text: string }, id: string): PolicyForm | undefined {
  for (const object of parseManifests([file]).objects) {
    if (object.kind !== 'NetworkPolicy') continue;
    if (policyId(object) === id) return readPolicyForm(object);
  }
  return undefined;
}

function selectorProblems(selector: SelectorForm, where: string): string[] {
  const out: string[] = [];
  if (Object.keys(selector.matchLabels).some((k) => k.trim() === ''))
    out.push(`${where}: a label has no key`);
  for (const e of selector.matchExpressions) {
    if (e.key.trim() === '') out.push(`${where}: an expression has no key`);
    if ((e.operator === 'In' || e.operator === 'NotIn') && e.values.length === 0)
      out.push(`${where}: "${e.key} ${e.operator}" needs at least one value`);
  }
  return out;
}

/**
 * What must be fixed before the form can be written: the mistakes the form makes possible and the
 * API server would refuse. Everything else is checked by the analysis once applied.
 */
export function formProblems(form: PolicyForm): string[] {
  const out: string[] = [];
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(form.name))
    out.push('the name must be a DNS subdomain (a-z, 0-9, - and .)');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(form.namespace))
    out.push('the namespace must be a DNS label (a-z, 0-9 and -)');
  out.push(...selectorProblems(form.podSelector, 'pod selector'));
  if (form.policyTypes.length === 0) out.push('choose Ingress, Egress or both');
  for (const direction of ['ingress', 'egress'] as const) {
    form[direction].forEach((rule, r) => {
      const where = `${direction} rule ${r}`;
      rule.peers.forEach((peer, p) => {
        if (peer.kind === 'ipBlock') {
          if (peer.cidr.trim() === '') out.push(`${where}, peer ${p}: the ipBlock needs a CIDR`);
        } else if (!peer.namespaceSelector && !peer.podSelector) {
          out.push(`${where}, peer ${p}: give a namespace selector, a pod selector or both`);
        } else {
          if (peer.namespaceSelector)
            out.push(...selectorProblems(peer.namespaceSelector, `${where}, peer ${p}`));
          if (peer.podSelector) out.push(...selectorProblems(peer.podSelector, `${where}, peer ${p}`));
        }
      });
      rule.ports.forEach((port, i) => {
        if (port.endPort !== undefined && typeof port.port !== 'number')
          out.push(`${where}, port ${i}: a range needs a numeric start port`);
      });
    });
  }
  return out;
}
