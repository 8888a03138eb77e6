import type { PathSegment } from '@netpol-atlas/manifests';
import { formatFieldPath } from '@netpol-atlas/manifests';
import { isFatal } from '../fatal.ts';
import type { CompiledPolicy, Direction } from '../model.ts';
import {
  allRules,
  type FindingContext,
  makeFinding,
  policyLocation,
  portPath,
  rawRule,
  ruleKey,
  ruleName,
} from './context.ts';
import type { Finding, FindingSeverity } from './types.ts';

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Findings about how a policy is written, as opposed to what it selects: fields Kubernetes drops,
 * rules of directions missing from policyTypes, the defaulted ingress isolation of egress-only
 * policies, implementation-defined port features, and objects the API server would refuse.
 */
export function specFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  for (const policy of ctx.cluster.policies) {
    out.push(...unknownFields(policy), ...policyTypeFindings(policy));
  }
  out.push(...portFeatureFindings(ctx), ...invalidManifestFindings(ctx));
  return out;
}

const SPEC_KEYS = ['podSelector', 'policyTypes', 'ingress', 'egress'];
const PEER_KEYS = ['podSelector', 'namespaceSelector', 'ipBlock'];
const SELECTOR_KEYS = ['matchLabels', 'matchExpressions'];
const PORT_KEYS = ['protocol', 'port', 'endPort'];
const IPBLOCK_KEYS = ['cidr', 'except'];
const EXPRESSION_KEYS = ['key', 'operator', 'values'];

interface UnknownAt {
  path: PathSegment[];
  keys: string[];
  value: Json;
  what: 'spec' | 'rule' | 'peer' | 'selector' | 'other';
}

/** Walks the policy as written and lists maps with keys the NetworkPolicy schema does not have. */
function collectUnknown(spec: Json): UnknownAt[] {
  const found: UnknownAt[] = [];
  const check = (value: unknown, path: PathSegment[], known: readonly string[], what: UnknownAt['what']) => {
    if (!isRecord(value)) return;
    const keys = Object.keys(value).filter((k) => !known.includes(k));
    if (keys.length > 0) found.push({ path, keys, value, what });
  };
  const selector = (value: unknown, path: PathSegment[]) => {
    check(value, path, SELECTOR_KEYS, 'selector');
    const expressions = isRecord(value) ? value.matchExpressions : undefined;
    if (Array.isArray(expressions)) {
      expressions.forEach((e, i) => {
        check(e, [...path, 'matchExpressions', i], EXPRESSION_KEYS, 'other');
      });
    }
  };
  check(spec, ['spec'], SPEC_KEYS, 'spec');
  selector(spec.podSelector, ['spec', 'podSelector']);
  for (const field of ['ingress', 'egress'] as const) {
    const rules = spec[field];
    if (!Array.isArray(rules)) continue;
    const peersKey = field === 'ingress' ? 'from' : 'to';
    rules.forEach((rule, i) => {
      const rulePath: PathSegment[] = ['spec', field, i];
      check(rule, rulePath, [peersKey, 'ports'], 'rule');
      if (!isRecord(rule)) return;
      const peers = rule[peersKey];
      if (Array.isArray(peers)) {
        peers.forEach((peer, j) => {
          const peerPath = [...rulePath, peersKey, j];
          check(peer, peerPath, PEER_KEYS, 'peer');
          if (!isRecord(peer)) return;
          selector(peer.podSelector, [...peerPath, 'podSelector']);
          selector(peer.namespaceSelector, [...peerPath, 'namespaceSelector']);
          check(peer.ipBlock, [...peerPath, 'ipBlock'], IPBLOCK_KEYS, 'other');
        });
      }
      const ports = rule.ports;
      if (Array.isArray(ports))
        ports.forEach((p, j) => {
          check(p, [...rulePath, 'ports', j], PORT_KEYS, 'other');
        });
    });
  }
  return found;
}

function unknownFields(policy: CompiledPolicy): Finding[] {
  const spec = policy.object.raw.spec;
  if (!isRecord(spec)) return [];
  return collectUnknown(spec).map((u) => {
    const field = formatFieldPath(u.path);
    const keys = u.keys.map((k) => `\`${k}\``).join(', ');
    const labels: Record<string, string> = {};
    for (const k of u.keys) {
      const v = u.value[k];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') labels[k] = String(v);
    }
    const isLabelLike = u.what === 'selector' && Object.keys(labels).length === u.keys.length;
    const known = Object.keys(u.value).filter((k) => !u.keys.includes(k));
    let consequence: string;
    let severity: FindingSeverity = 'high';
    switch (u.what) {
      case 'selector': {
        const empty = known.length === 0;
        const target =
          field === 'spec.podSelector'
            ? `the policy selects EVERY pod of namespace ${policy.namespace}`
            : field.endsWith('namespaceSelector')
              ? 'the peer matches EVERY namespace'
              : 'the peer matches every pod it can see';
        consequence = empty
          ? `Dropped, they leave an empty selector \`{}\`: ${target}.`
          : 'Dropped, the selector matches more than written.';
        break;
      }
      case 'rule': {
        const peersKey = field.startsWith('spec.ingress') ? 'from' : 'to';
        const hasPeers = known.includes(peersKey);
        const misplaced = u.keys.includes(peersKey === 'from' ? 'to' : 'from');
        consequence = `${misplaced ? `${field.startsWith('spec.ingress') ? 'Ingress' : 'Egress'} rules take \`${peersKey}\`, not \`${peersKey === 'from' ? 'to' : 'from'}\`. ` : ''}${hasPeers ? 'Dropped, the rule admits more than written.' : `Dropped, the rule has no \`${peersKey}\` and admits EVERY ${peersKey === 'from' ? 'source' : 'destination'}.`}`;
        break;
      }
      case 'spec':
        consequence =
          'Dropped, the policy has fewer rules than written: what they were meant to allow is denied.';
        severity = 'medium';
        break;
      case 'peer':
        consequence = 'Dropped, the peer matches more than written.';
        break;
      default:
        consequence = 'Dropped, the entry may not mean what was written.';
        severity = 'medium';
    }
    return makeFinding('unknown-field', {
      key: `${policy.id}/${field}`,
      severity,
      title: `${policy.id}: ${field} has unknown field(s) ${u.keys.join(', ')}${isLabelLike ? ' (labels outside matchLabels?)' : ''}`,
      message: `${field} of ${policy.id} has ${keys}, which NetworkPolicy does not define${isLabelLike ? ': labels must go under `matchLabels`' : ''}. The API server drops unknown fields unless the client asks for strict validation (then it refuses the whole object). ${consequence}`,
      subjects: [policy.id],
      namespaces: [policy.namespace],
      locations: [policyLocation(policy, [...u.path, u.keys[0]!])],
      ...(isLabelLike
        ? {
            fix: {
              description: `Move ${keys} under \`matchLabels\` of ${field}.`,
              suggestion: {
                kind: 'move-into-match-labels' as const,
                policy: policy.id,
                path: u.path,
                labels,
              },
            },
          }
        : {}),
    });
  });
}

function policyTypeFindings(policy: CompiledPolicy): Finding[] {
  const spec = policy.object.spec;
  const out: Finding[] = [];
  const written = spec.policyTypes && spec.policyTypes.length > 0 ? spec.policyTypes : undefined;
  if (written) {
    for (const direction of ['Ingress', 'Egress'] as const) {
      const rules = direction === 'Ingress' ? spec.ingress : spec.egress;
      if (!rules || rules.length === 0 || written.includes(direction)) continue;
      const field = direction === 'Ingress' ? 'ingress' : 'egress';
      out.push(
        makeFinding('ignored-direction', {
          key: `${policy.id}/${field}`,
          title: `${policy.id}: ${rules.length} ${field} rule(s) ignored, policyTypes lacks ${direction}`,
          message: `${policy.id} sets \`policyTypes: [${written.join(', ')}]\`, so Kubernetes ignores its ${rules.length} ${field} rule(s) without a warning. The policy does not isolate its pods for ${direction}: ${direction === 'Ingress' ? 'ingress to them stays open' : 'they may still connect anywhere'} unless another policy selects them.`,
          subjects: [policy.id],
          namespaces: [policy.namespace],
          locations: [
            policyLocation(policy, ['spec', field]),
            policyLocation(policy, ['spec', 'policyTypes']),
          ],
          fix: {
            description: `Add ${direction} to policyTypes so the rules take effect (or delete the rules).`,
            suggestion: { kind: 'add-policy-type', policy: policy.id, policyType: direction },
          },
        }),
      );
    }
  } else if ((spec.egress?.length ?? 0) > 0 && spec.ingress === undefined) {
    out.push(
      makeFinding('defaulted-policy-types', {
        key: policy.id,
        title: `${policy.id} has egress rules only and no policyTypes: it also denies all ingress`,
        message: `${policy.id} does not set policyTypes, so the API server defaults it to [Ingress, Egress] because egress rules exist. With no ingress rule, every pod it selects now refuses all ingress. If only egress was meant, write \`policyTypes: [Egress]\`.`,
        subjects: [policy.id],
        namespaces: [policy.namespace],
        locations: [policyLocation(policy, ['spec', 'egress'])],
        fix: {
          description:
            'Write `policyTypes: [Egress]` (or `[Ingress, Egress]` if denying ingress is intended).',
          suggestion: { kind: 'set-policy-types', policy: policy.id, policyTypes: ['Egress'] as Direction[] },
        },
      }),
    );
  }
  return out;
}

function portFeatureFindings(ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of allRules(ctx.cluster)) {
    (rawRule(rule)?.ports ?? []).forEach((port, i) => {
      const where = policyLocation(rule.policy, portPath(rule, i));
      const key = `${ruleKey(rule)}.ports[${i}]`;
      if (port.protocol === 'SCTP') {
        const cilium = ctx.cni === 'cilium';
        out.push(
          makeFinding('sctp-port', {
            key,
            severity: cilium ? 'medium' : 'info',
            title: `${ruleName(rule)} admits SCTP${port.port !== undefined ? ` ${port.port}` : ''}: CNI support varies`,
            message: `${ruleName(rule)}.ports[${i}] is an SCTP port. SCTP in NetworkPolicy is implementation-defined in practice: ${cilium ? 'Cilium (the stated CNI) does not enforce SCTP rules by default, so this entry has no effect there' : 'some CNIs (Cilium by default) do not support it, and the entry then has no effect'}.`,
            subjects: [rule.policy.id],
            namespaces: [rule.policy.namespace],
            locations: [where],
          }),
        );
      }
      if (port.endPort !== undefined) {
        out.push(
          makeFinding('end-port', {
            key,
            title: `${ruleName(rule)} uses a port range ${String(port.port)}-${port.endPort} (endPort)`,
            message: `${ruleName(rule)}.ports[${i}] uses \`endPort\`. It is stable since Kubernetes 1.25, but a CNI without support may read only \`port\` ${String(port.port)} or ignore the entry: check the CNI version.`,
            subjects: [rule.policy.id],
            namespaces: [rule.policy.namespace],
            locations: [where],
          }),
        );
      }
    });
  }
  return out;
}

function invalidManifestFindings(ctx: FindingContext): Finding[] {
  // Every error counts, not only those that stop the analysis: a document the API server (or
  // kubectl) cannot read is not applied, whatever netpol-atlas could still make of the rest.
  return (ctx.options.diagnostics ?? [])
    .filter((d) => d.severity === 'error')
    .map((d) => {
      const at = d.range ? `${d.range.start.line}:${d.range.start.column}` : '';
      const isPolicy = d.kind === 'NetworkPolicy';
      const what = d.kind ? `${d.kind}${d.object ? ` ${d.object}` : ''}` : `A document of ${d.file}`;
      const consequence = isPolicy
        ? 'The API server refuses such a policy, so it is not in force: the pods it was meant to isolate are as open as without it.'
        : isFatal(d)
          ? 'The analysis of this object is unreliable until it is fixed.'
          : 'It cannot be applied as written; the rest of the input was still analysed.';
      return makeFinding('invalid-manifest', {
        key: `${d.file}:${at}:${d.code}`,
        title: `${what} is invalid${d.field ? ` at ${d.field}` : ''}`,
        message: `${d.field ? `${d.field}: ` : ''}${d.message.trim()} [${d.code}]. ${consequence}`,
        subjects: d.object ? [d.object] : [],
        namespaces: d.object?.includes('/') ? [d.object.slice(0, d.object.indexOf('/'))] : [],
        locations: [{ file: d.file, range: d.range }],
      });
    });
}
