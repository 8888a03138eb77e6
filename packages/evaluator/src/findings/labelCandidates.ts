import type { LabelSelector, LabelSelectorRequirement, Labels } from '@netpol-atlas/manifests';

/** A change to an object's labels: a string sets (adds or overwrites) the label, `null` removes it. */
export type LabelEdit = Readonly<Record<string, string | null>>;

/** Bounds the combinatorics of `In` lists and of crossing requirements. */
const MAX_VALUES_PER_REQUIREMENT = 3;
const MAX_EDITS = 32;
/** Other values tried when overwriting a label: each one a selector names may land somewhere. */
const MAX_OVERWRITES_PER_KEY = 6;

/** What the candidate generators may use and must respect. */
export interface EditOptions {
  /** Values selectors name for a key (or seen on other objects), most telling first. */
  valuesFor(key: string): readonly string[];
  /** Keys that cannot change (`kubernetes.io/metadata.name` on namespaces). */
  immutable?: ReadonlySet<string>;
}

/** A value of `key` that no selector names and that is not in `taken`: "any other value". */
export function otherValue(options: EditOptions, key: string, taken: readonly string[] = []): string {
  const used = new Set([...options.valuesFor(key), ...taken]);
  let value = 'other';
  for (let i = 2; used.has(value); i++) value = `other-${i}`;
  return value;
}

function requirementsOf(selector: LabelSelector): LabelSelectorRequirement[] {
  return [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
      key,
      operator: 'In',
      values: [value],
    })),
    ...(selector.matchExpressions ?? []),
  ];
}

/** The ways to make one requirement hold over `current`: `[{}]` when it does, `[]` when none. */
function satisfying(req: LabelSelectorRequirement, current: Labels, options: EditOptions): LabelEdit[] {
  const has = Object.hasOwn(current, req.key);
  const value = current[req.key];
  switch (req.operator) {
    case 'In':
      if (has && req.values.includes(value!)) return [{}];
      return req.values.slice(0, MAX_VALUES_PER_REQUIREMENT).map((v) => ({ [req.key]: v }));
    case 'NotIn':
      if (!has || !req.values.includes(value!)) return [{}];
      // Removing the label satisfies NotIn as well as another value does.
      return [
        { [req.key]: null },
        {
          [req.key]:
            options.valuesFor(req.key).find((v) => !req.values.includes(v)) ??
            otherValue(options, req.key, req.values),
        },
      ];
    case 'Exists':
      return has ? [{}] : [{ [req.key]: options.valuesFor(req.key)[0] ?? 'true' }];
    case 'DoesNotExist':
      return has ? [{ [req.key]: null }] : [{}];
    default:
      return [];
  }
}

/** The single-label ways to make one requirement that holds over `current` stop holding. */
function breaking(req: LabelSelectorRequirement, options: EditOptions): LabelEdit[] {
  const key = req.key;
  switch (req.operator) {
    case 'In': {
      const others = options
        .valuesFor(key)
        .filter((v) => !req.values.includes(v))
        .slice(0, MAX_OVERWRITES_PER_KEY);
      return [
        { [key]: null },
        ...others.map((v) => ({ [key]: v })),
        { [key]: otherValue(options, key, req.values) },
      ];
    }
    case 'NotIn':
      return req.values.slice(0, MAX_VALUES_PER_REQUIREMENT).map((v) => ({ [key]: v }));
    case 'Exists':
      return [{ [key]: null }];
    case 'DoesNotExist':
      return [{ [key]: options.valuesFor(key)[0] ?? otherValue(options, key) }];
    default:
      return [];
  }
}

/** Merges two edits; undefined when they do different things to one key. */
export function mergeEdits(a: LabelEdit, b: LabelEdit): LabelEdit | undefined {
  const out: Record<string, string | null> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (Object.hasOwn(out, k) && out[k] !== v) return undefined;
    out[k] = v;
  }
  return out;
}

/** A canonical text for an edit, usable as a key: `k=v` for a set label, `k-` for a removed one. */
export function editKey(edit: LabelEdit): string {
  return Object.entries(edit)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`))
    .join(',');
}

/** The edit without the entries that change nothing over `current`. */
export function effectiveEdit(edit: LabelEdit, current: Labels): LabelEdit {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(edit)) {
    const has = Object.hasOwn(current, k);
    if (v === null ? has : current[k] !== v) out[k] = v;
  }
  return out;
}

function allowed(edit: LabelEdit, current: Labels, options: EditOptions): boolean {
  const immutable = options.immutable;
  return !immutable || Object.entries(edit).every(([k, v]) => !immutable.has(k) || current[k] === v);
}

/**
 * The smallest label edits that, applied over `current`, make `selector` match: `[{}]` when it
 * already matches, `[]` when no edit can (conflicting requirements, or a key that cannot
 * change). Each requirement contributes the labels it needs; `In` lists give one alternative per
 * value (the first few); `DoesNotExist` and `NotIn` may need a label removed.
 */
export function editsSatisfying(selector: LabelSelector, current: Labels, options: EditOptions): LabelEdit[] {
  let combos: LabelEdit[] = [{}];
  for (const req of requirementsOf(selector)) {
    const alternatives = satisfying(req, current, options);
    const next: LabelEdit[] = [];
    for (const combo of combos) {
      for (const alt of alternatives) {
        const merged = mergeEdits(combo, alt);
        if (merged && next.length < MAX_EDITS) next.push(merged);
      }
    }
    combos = next;
    if (combos.length === 0) return [];
  }
  return combos.filter((c) => allowed(c, current, options));
}

/**
 * The one-label edits that make a `selector` that matches `current` stop matching: per
 * requirement, removing the label or giving it another value (each value a selector names, then
 * one no selector names), or adding the label a `DoesNotExist` forbids. `[]` when it does not
 * match now, or only immutable keys decide it.
 */
export function editsBreaking(selector: LabelSelector, current: Labels, options: EditOptions): LabelEdit[] {
  const requirements = requirementsOf(selector);
  if (!requirements.every((req) => satisfying(req, current, options).some((e) => editKey(e) === ''))) {
    return [];
  }
  const out = new Map<string, LabelEdit>();
  for (const req of requirements) {
    for (const edit of breaking(req, options)) {
      const effective = effectiveEdit(edit, current);
      if (Object.keys(effective).length > 0 && allowed(effective, current, options)) {
        out.set(editKey(effective), effective);
      }
    }
  }
  return [...out.values()];
}
