import type { LabelSelector, Labels } from '@netpol-atlas/manifests';

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

/**
 * Compiles a selector: matchLabels AND every matchExpression. `In` needs the key with one of the
 * values, `NotIn` matches objects lacking the key, `Exists`/`DoesNotExist` test presence. An
 * unknown operator matches nothing (the API server rejects such policies; validation reports it).
 */
export function compileSelector(selector: LabelSelector): CompiledSelector {
  type Test = (labels: Labels) => boolean;
  const tests: Test[] = [];
  const parts: string[] = [];
  const keys = new Set<string>();
  const matchLabels = Object.entries(selector.matchLabels ?? {}).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  for (const [key, value] of matchLabels) {
    keys.add(key);
    parts.push(`${key}=${value}`);
    tests.push((labels) => labels[key] === value);
  }
  const expressions = [...(selector.matchExpressions ?? [])]
    .map((e) => ({ ...e, values: [...e.values].sort() }))
    .sort((a, b) => {
      const ka = `${a.key}\u0000${a.operator}\u0000${a.values.join('\u0000')}`;
      const kb = `${b.key}\u0000${b.operator}\u0000${b.values.join('\u0000')}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  for (const { key, operator, values } of expressions) {
    keys.add(key);
    parts.push(`${key} ${operator} (${values.join(',')})`);
    const set = new Set(values);
    switch (operator) {
      case 'In':
        tests.push((labels) => Object.hasOwn(labels, key) && set.has(labels[key]!));
        break;
      case 'NotIn':
        tests.push((labels) => !Object.hasOwn(labels, key) || !set.has(labels[key]!));
        break;
      case 'Exists':
        tests.push((labels) => Object.hasOwn(labels, key));
        break;
      case 'DoesNotExist':
        tests.push((labels) => !Object.hasOwn(labels, key));
        break;
      default:
        tests.push(() => false);
    }
  }
  const matchesAll = tests.length === 0;
  return {
    key: parts.join(' && '),
    matchesAll,
    keys: [...keys],
    equalities: matchLabels.map(([key, value]) => `${key}=${value}`),
    matches: matchesAll ? () => true : (labels) => tests.every((t) => t(labels)),
  };
}
