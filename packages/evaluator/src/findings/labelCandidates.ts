import type { LabelSelector, LabelSelectorRequirement, Labels } from '@netpol-atlas/manifests';

/** Labels to add (or overwrite) on an object. */
export type LabelAssignment = Readonly<Record<string, string>>;

/** Bounds the combinatorics of `In` lists and of crossing requirements. */
const MAX_VALUES_PER_REQUIREMENT = 3;
const MAX_ASSIGNMENTS = 32;

interface SatisfyOptions {
  /** Values seen for a key elsewhere (used for `Exists` and `NotIn`). */
  valuesFor(key: string): readonly string[];
  /** Keys that cannot be set (`kubernetes.io/metadata.name` on namespaces). */
  immutable?: ReadonlySet<string>;
}

function requirementAlternatives(
  req: LabelSelectorRequirement,
  current: Labels,
  options: SatisfyOptions,
): LabelAssignment[] {
  const has = Object.hasOwn(current, req.key);
  const value = current[req.key];
  switch (req.operator) {
    case 'In':
      if (has && req.values.includes(value!)) return [{}];
      return req.values.slice(0, MAX_VALUES_PER_REQUIREMENT).map((v) => ({ [req.key]: v }));
    case 'NotIn': {
      if (!has || !req.values.includes(value!)) return [{}];
      const other =
        options.valuesFor(req.key).find((v) => !req.values.includes(v)) ?? `not-${req.values[0] ?? 'x'}`;
      return [{ [req.key]: other }];
    }
    case 'Exists':
      return has ? [{}] : [{ [req.key]: options.valuesFor(req.key)[0] ?? 'true' }];
    case 'DoesNotExist':
      // Adding labels cannot remove one.
      return has ? [] : [{}];
    default:
      return [];
  }
}

/** Merges two assignments; undefined when they set one key to different values. */
export function mergeAssignments(a: LabelAssignment, b: LabelAssignment): LabelAssignment | undefined {
  const out: Record<string, string> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (Object.hasOwn(out, k) && out[k] !== v) return undefined;
    out[k] = v;
  }
  return out;
}

/** A canonical text for an assignment, usable as a key. */
export function assignmentKey(a: LabelAssignment): string {
  return Object.entries(a)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * The smallest label assignments that, applied over `current`, make `selector` match: `[{}]`
 * when it already matches, `[]` when adding labels cannot make it match (`DoesNotExist` on a
 * present key, or a key that cannot change). Each requirement contributes the labels it needs;
 * `In` lists give one alternative per value (the first few).
 */
export function assignmentsSatisfying(
  selector: LabelSelector,
  current: Labels,
  options: SatisfyOptions,
): LabelAssignment[] {
  const requirements: LabelSelectorRequirement[] = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
      key,
      operator: 'In',
      values: [value],
    })),
    ...(selector.matchExpressions ?? []),
  ];
  let combos: LabelAssignment[] = [{}];
  for (const req of requirements) {
    const alternatives = requirementAlternatives(req, current, options);
    const next: LabelAssignment[] = [];
    for (const combo of combos) {
      for (const alt of alternatives) {
        const merged = mergeAssignments(combo, alt);
        if (merged && next.length < MAX_ASSIGNMENTS) next.push(merged);
      }
    }
    combos = next;
    if (combos.length === 0) return [];
  }
  const immutable = options.immutable;
  return combos.filter(
    (c) => !immutable || Object.keys(c).every((k) => !immutable.has(k) || current[k] === c[k]),
  );
}
