/**
 * Numbers strings in the order they are first met: `indexOf(s)` is `s`'s place in `strings`.
 * Columns of edges name their ends and labels this way, as small integers into one list.
 */
export function stringIndex(): { strings: string[]; indexOf: (s: string) => number } {
  const strings: string[] = [];
  const index = new Map<string, number>();
  return {
    strings,
    indexOf(s) {
      let at = index.get(s);
      if (at === undefined) {
        at = strings.length;
        strings.push(s);
        index.set(s, at);
      }
      return at;
    },
  };
}
