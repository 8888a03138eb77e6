// One string object per distinct text for the fields a cluster build compares and indexes
// (namespaces, owner names, label values, pod phases). Every scalar the decoders read is a string
// of its own, stored wherever its object happened to land in a heap of hundreds of megabytes:
// comparing two of them, or hashing one for a map lookup, reads that memory, and on large inputs
// those reads are most of what a build costs. Shared, the same text is the same string, already
// hashed and in cache: an equality test is a pointer comparison.
//
// The table is a cache: what it returns is always equal to what it is given. It is bounded, and
// forgets everything when full rather than growing with every workspace a process ever loads.

const LIMIT = 1 << 16;
const SLICE_MIN_LENGTH = 13;

let table = new Map<string, string>();

/** `text`, or an equal string returned before: equal texts read for the build share one string. */
export function sharedString(text: string): string {
  const known = table.get(text);
  if (known !== undefined) return known;
  if (table.size >= LIMIT) table = new Map();
  // A longer substring can be a view into its whole file's text: a copy of its own keeps the
  // table from holding on to files no longer loaded.
  const kept = text.length >= SLICE_MIN_LENGTH ? ` ${text}`.slice(1) : text;
  table.set(kept, kept);
  return kept;
}
