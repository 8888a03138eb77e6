// Representative peers: the pods that may exist one day, named by the selectors of the rule they
// were inferred from. NetworkPolicy exposure (exposure.ts) and cluster-policy exposure
// (exposureTiers.ts) both build them, so they live here rather than in either one.

import type { LabelSelector } from '@netpol-atlas/manifests';
import { NAMESPACE_NAME_LABEL } from './model.ts';

/** A pod that may exist one day, described by the selectors of the rule it was inferred from. */
export interface RepresentativePeer {
  /** Canonical identity: equal keys stand for the same set of potential pods. */
  key: string;
  /**
   * The namespace selector as written (first rule wins); an absent one became the policy
   * namespace's name label. `{}` means every namespace.
   */
  namespaceSelector: LabelSelector;
  /** The pod selector as written; undefined when the rule had none (every pod). */
  podSelector: LabelSelector | undefined;
  /**
   * The policy namespace when the rule had no namespace selector, else '': rules without a
   * namespace selector match the representative peer only in that namespace.
   */
  namespace: string;
  /** `hello-world`, `all namespaces` or `namespace with {...}` (no brackets). */
  namespaceText: string;
  /** True when the namespace part is a plain namespace name (printed without brackets). */
  namespaceIsName: boolean;
  /** `all pods` or `pod with {...}` (no brackets). */
  podText: string;
  /** The peer string of the text formats: `ns/[pod with {...}]`, `[all namespaces]/[all pods]`, ... */
  id: string;
}

function selectorIsEmpty(selector: LabelSelector | undefined): boolean {
  return (
    selector !== undefined &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}

/**
 * A selector as the list of its requirements in Kubernetes' canonical text, sorted by key:
 * `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. `In` with one value reads as `k=v`, so that
 * `app In [x]` and `app: x` are the same requirement. An absent selector has none.
 */
export function selectorRequirements(selector: LabelSelector | undefined): string[] {
  if (!selector) return [];
  const reqs: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    reqs.push({ key, text: `${key}=${value}` });
  for (const e of selector.matchExpressions ?? []) {
    const values = [...e.values].sort();
    let text: string;
    switch (e.operator) {
      case 'In':
        text = values.length === 1 ? `${e.key}=${values[0]}` : `${e.key} in (${values.join(',')})`;
        break;
      case 'NotIn':
        text = `${e.key} notin (${values.join(',')})`;
        break;
      case 'Exists':
        text = e.key;
        break;
      case 'DoesNotExist':
        text = `!${e.key}`;
        break;
      default:
        text = `${e.key} ${e.operator} (${values.join(',')})`;
    }
    reqs.push({ key: e.key, text });
  }
  reqs.sort((a, b) => cmp(a.key, b.key) || cmp(a.text, b.text));
  return reqs.map((r) => r.text);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether a rule selector speaks for a representative peer's selector: an empty rule selector
 * selects everything; otherwise the requirements must be the same (a narrower or wider selector
 * does not decide about pods that are only known by their selector).
 */
export function selectorFullyMatches(
  rule: LabelSelector,
  representative: LabelSelector | undefined,
): boolean {
  if (selectorIsEmpty(rule)) return true;
  const a = selectorRequirements(rule);
  const b = selectorRequirements(representative);
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

/** Go's `%v` of a LabelSelectorRequirement, as netpol-analyzer prints it (values as written). */
function expressionText(e: { key: string; operator: string; values: readonly string[] }): string {
  return `{Key:${e.key},Operator:${e.operator},Values:[${e.values.join(' ')}],}`;
}

/** `k=v` labels (sorted by key) then the expressions (sorted as strings), comma separated. */
export function selectorText(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {})
    .sort(([a], [b]) => cmp(a, b))
    .map(([k, v]) => `${k}=${v}`);
  const expressions = (selector.matchExpressions ?? []).map(expressionText).sort(cmp);
  return [...labels, ...expressions].join(',');
}

/** Builds a representative peer from a rule peer's (defaulted) selectors. */
export function representativePeer(
  namespaceSelector: LabelSelector,
  podSelector: LabelSelector | undefined,
  namespace: string,
): RepresentativePeer {
  const key = `${selectorRequirements(namespaceSelector).join('&')}/${selectorRequirements(podSelector).join('&')}`;
  const labels = namespaceSelector.matchLabels ?? {};
  const labelKeys = Object.keys(labels);
  const namespaceIsName =
    labelKeys.length === 1 &&
    labelKeys[0] === NAMESPACE_NAME_LABEL &&
    (namespaceSelector.matchExpressions ?? []).length === 0;
  const namespaceText = namespaceIsName
    ? labels[NAMESPACE_NAME_LABEL]!
    : selectorIsEmpty(namespaceSelector)
      ? 'all namespaces'
      : `namespace with {${selectorText(namespaceSelector)}}`;
  const podText =
    podSelector === undefined || selectorIsEmpty(podSelector)
      ? 'all pods'
      : `pod with {${selectorText(podSelector)}}`;
  const id = `${namespaceIsName ? namespaceText : `[${namespaceText}]`}/[${podText}]`;
  return { key, namespaceSelector, podSelector, namespace, namespaceText, namespaceIsName, podText, id };
}

/** `namespaceSelector: {}` with an absent or empty pod selector. */
export function admitsAllNamespaces(ns: LabelSelector | undefined, pod: LabelSelector | undefined): boolean {
  return ns !== undefined && selectorIsEmpty(ns) && (pod === undefined || selectorIsEmpty(pod));
}
