import type { LabelSelector, LabelSelectorRequirement, Labels } from '@netpol-atlas/manifests';

/** A label selector compiled to a predicate, with a canonical key for de-duplication. */
export interface CompiledSelector {
  /** Canonical text: equal keys select exactly the same objects. */
  readonly key: string;
  /** True for `{}` (selects everything). */
  readonly matchesAll: boolean;
  /** Label keys the selector reads (used to detect pods whose labels differ on them). */
  readonly keys: readonly string[];
  /**
   * Its matchLabels entries, `key=value`, sorted: every object it selects carries each of them,
   * so an index by label narrows the candidates to test.
   */
  readonly equalities: readonly string[];
  matches(labels: Labels): boolean;
}

/** The operators of a matchExpression, as numbers the matcher switches on. */
const IN = 0;
const NOT_IN = 1;
const EXISTS = 2;
const DOES_NOT_EXIST = 3;
const NEVER = 4;

function operatorCode(operator: string): number {
  switch (operator) {
    case 'In':
      return IN;
    case 'NotIn':
      return NOT_IN;
    case 'Exists':
      return EXISTS;
    case 'DoesNotExist':
      return DOES_NOT_EXIST;
    default:
      return NEVER;
  }
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const MATCH_ALL = (): boolean => true;

const NONE: readonly string[] = [];
const NONE_EXPRESSIONS: readonly LabelSelectorRequirement[] = [];

/** `{}`, the most common selector of all (default-deny, same-namespace peers): one shared value. */
const EVERYTHING: CompiledSelector = {
  key: '',
  matchesAll: true,
  keys: NONE,
  equalities: NONE,
  matches: MATCH_ALL,
};

/**
 * Compiles a selector: matchLabels AND every matchExpression. `In` needs the key with one of the
 * values, `NotIn` matches objects lacking the key, `Exists`/`DoesNotExist` test presence. An
 * unknown operator matches nothing (the API server rejects such policies; validation reports it).
 *
 * A build compiles a selector for every policy and peer and runs the matcher on thousands of label
 * sets: the requirements are kept in flat arrays read by one loop, so a match allocates nothing.
 */
export function compileSelector(selector: LabelSelector): CompiledSelector {
  const matchLabels = selector.matchLabels;
  const labelKeys = matchLabels ? Object.keys(matchLabels) : [];
  const expressions = selector.matchExpressions ?? NONE_EXPRESSIONS;
  // A build compiles thousands of selectors: the common shapes allocate only what they keep.
  if (expressions.length === 0) {
    if (labelKeys.length === 0) return EVERYTHING;
    if (labelKeys.length === 1) return singleLabel(labelKeys[0]!, matchLabels![labelKeys[0]!]!);
  }
  if (labelKeys.length > 1) labelKeys.sort(byText);
  const labelValues = labelKeys.map((key) => matchLabels![key]!);
  const equalities = labelKeys.map((key, i) => `${key}=${labelValues[i]}`);
  const keys = new Set(labelKeys);
  const parts = equalities.slice();
  const expressionKeys: string[] = [];
  const operators: number[] = [];
  const valueSets: (ReadonlySet<string> | undefined)[] = [];
  if (expressions.length > 0) {
    const sorted = expressions
      .map((e) => {
        const values = [...e.values].sort();
        return { e, values, order: `${e.key}\u0000${e.operator}\u0000${values.join('\u0000')}` };
      })
      .sort((a, b) => byText(a.order, b.order));
    for (const { e, values } of sorted) {
      keys.add(e.key);
      parts.push(`${e.key} ${e.operator} (${values.join(',')})`);
      expressionKeys.push(e.key);
      const code = operatorCode(e.operator);
      operators.push(code);
      valueSets.push(code === IN || code === NOT_IN ? new Set(values) : undefined);
    }
  }
  const matchesAll = labelKeys.length === 0 && expressionKeys.length === 0;
  const labelCount = labelKeys.length;
  const expressionCount = expressionKeys.length;
  const matches = (labels: Labels): boolean => {
    for (let i = 0; i < labelCount; i++) if (labels[labelKeys[i]!] !== labelValues[i]) return false;
    for (let i = 0; i < expressionCount; i++) {
      const key = expressionKeys[i]!;
      const present = Object.hasOwn(labels, key);
      switch (operators[i]) {
        case IN:
          if (!present || !valueSets[i]!.has(labels[key]!)) return false;
          break;
        case NOT_IN:
          if (present && valueSets[i]!.has(labels[key]!)) return false;
          break;
        case EXISTS:
          if (!present) return false;
          break;
        case DOES_NOT_EXIST:
          if (present) return false;
          break;
        default:
          return false;
      }
    }
    return true;
  };
  return {
    key: parts.join(' && '),
    matchesAll,
    keys: [...keys],
    equalities,
    matches: matchesAll ? MATCH_ALL : matches,
  };
}

/**
 * Compiled selectors kept by what they select, for a compiler that meets the same ones again and
 * again (every namespace's policies select by the same few labels): one compiled value each,
 * rather than one per policy for the build to allocate and keep.
 */
export class SelectorCache {
  /** Single-label selectors, by key then value. */
  private readonly single = new Map<string, Map<string, CompiledSelector>>();

  /** The same as {@link compileSelector}; single-label selectors compiled once per label. */
  compile(selector: LabelSelector): CompiledSelector {
    const matchLabels = selector.matchLabels;
    if (!matchLabels || (selector.matchExpressions?.length ?? 0) > 0) return compileSelector(selector);
    let key: string | undefined;
    for (const k in matchLabels) {
      if (!Object.hasOwn(matchLabels, k)) continue;
      if (key !== undefined) return compileSelector(selector);
      key = k;
    }
    if (key === undefined) return EVERYTHING;
    const value = matchLabels[key]!;
    let values = this.single.get(key);
    if (!values) {
      values = new Map();
      this.single.set(key, values);
    }
    let compiled = values.get(value);
    if (!compiled) {
      compiled = singleLabel(key, value);
      values.set(value, compiled);
    }
    return compiled;
  }
}

/** `matchLabels` with one entry and nothing else: what most policies and peers select by. */
function singleLabel(key: string, value: string): CompiledSelector {
  const equality = `${key}=${value}`;
  return {
    key: equality,
    matchesAll: false,
    keys: [key],
    equalities: [equality],
    matches: (labels) => labels[key] === value,
  };
}
