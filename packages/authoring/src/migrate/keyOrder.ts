import { isMap, isScalar, parseDocument } from 'yaml';
import { detectStyle } from '../yamlEdit.ts';
import { mergeEditedLines } from '../yamlText.ts';

/**
 * Moves the given keys of the map at `path` to its front, in that order (`tier`, then
 * `priority`, where a ClusterNetworkPolicy's readers look first). The rewrite adds keys the
 * authoring printer does not rank at the end of their map; every other line keeps the user's
 * formatting. The text is returned unchanged when there is nothing to move.
 */
export function keysFirst(text: string, path: readonly (string | number)[], keys: readonly string[]): string {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
  if (doc.errors.length > 0) return text;
  const map = doc.getIn(path, true);
  if (!isMap(map)) return text;
  const style = { ...detectStyle(doc, text), lineWidth: 0 };
  const printed = doc.toString(style);
  const at = (key: string) => map.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === key);
  const present = keys.filter((key) => at(key) >= 0);
  if (present.every((key, i) => at(key) === i)) return text;
  for (const key of [...present].reverse()) {
    const [pair] = map.items.splice(at(key), 1);
    map.items.unshift(pair!);
  }
  const edited = doc.toString(style);
  return mergeEditedLines(text, printed, edited) ?? edited;
}
