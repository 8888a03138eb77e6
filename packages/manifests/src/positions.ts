import type { PathSegment } from './diagnostics.ts';

/**
 * Where a node of a document is, and where its children are: the document's tree reduced to
 * what locating a field needs. Maps keep their scalar keys (a key given twice keeps the last
 * value, as Kubernetes does) and the node of each value (the key's, for a pair without value);
 * sequences keep their items (undefined for items that are not nodes). Offsets are the
 * parser's `range[0]` and `range[1]`, relative to the text the document was parsed from.
 */
export interface Position {
  /** Start and end offsets; undefined for a node the parser gave no range. */
  range: readonly [number, number] | undefined;
  keys?: string[];
  children?: (Position | undefined)[];
}

/** Finds the deepest node along `path`; a missing tail resolves to the deepest existing parent. */
export function locateIn(root: Position, path: readonly PathSegment[]): Position {
  let node = root;
  for (const segment of path) {
    let next: Position | undefined;
    if (typeof segment === 'number' && node.children && !node.keys) {
      next = node.children[segment];
    } else if (typeof segment === 'string' && node.keys) {
      // Several pairs with the same key: Kubernetes keeps the last, so point at the last.
      const i = node.keys.lastIndexOf(segment);
      next = i >= 0 ? node.children![i] : undefined;
    }
    if (!next) return node;
    node = next;
  }
  return node;
}
