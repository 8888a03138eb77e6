// What toFlowElements keeps from its previous result. React Flow and React skip an element only
// when it is the same object as before: a new object, even an equal one, re-renders the node's
// wrapper and component and makes React Flow re-read it. The graph, though, is rebuilt from
// scratch on every analysis (the worker sends a fresh copy of every node and group), so equal
// values are matched here and the object drawn before is handed back.

/**
 * Whether two values of plain data (what the worker sends: primitives, arrays, plain objects)
 * are equal, key by key and item by item.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    if (!Object.hasOwn(left, key)) continue;
    count++;
    if (!Object.hasOwn(right, key) || !sameValue(left[key], right[key])) return false;
  }
  for (const key in right) if (Object.hasOwn(right, key)) count--;
  return count === 0;
}

/** `before` when it holds the same plain data as `next`, else `next`. */
export function keepEqual<T>(before: T | undefined, next: T): T {
  return before !== undefined && sameValue(before, next) ? before : next;
}

/**
 * `next`, or `before` when every field is the same object: an element whose data did not change
 * keeps the same data object, so its memoised component skips the render.
 */
export function keepFields<T extends object>(before: T | undefined, next: T): T {
  if (before === undefined) return next;
  const keys = Object.keys(next) as (keyof T)[];
  if (Object.keys(before).length !== keys.length) return next;
  return keys.every((key) => before[key] === next[key]) ? before : next;
}

/**
 * `before` when `next` holds the very same items in the same order: React Flow then takes the
 * list as unchanged and does no work at all (a re-analysis that changed nothing drawn).
 */
export function keepList<T>(before: readonly T[] | undefined, next: T[]): T[] {
  if (!before || before.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) if (before[i] !== next[i]) return next;
  return before as T[];
}
