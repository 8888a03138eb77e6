/**
 * A hash table from four 32-bit words to a number, in typed arrays: a connection's 5-tuple of
 * IPv4 addresses (the connection tracker), or an aggregated flow's ends, protocol and port.
 *
 * The connection tracker looks up every Hubble record's tuple, and a file of a million records
 * holds tens of thousands of live tuples at any time. Kept in a `Map` under a string key, each
 * record paid for building and hashing that string, and each new tuple left a string and a map
 * entry that outlived the young generation (garbage the collector had to copy and then mark). Here
 * a tuple is four 32-bit words in place and costs no allocation at all.
 */

/**
 * One slot is 32 bytes: as 32-bit words, the epoch stamp and the four words of the key; as a
 * 64-bit float, the value in its last 8 bytes. A slot in one place costs a probe one cache line,
 * where separate arrays of stamps, keys and values cost three (the table of a large file is
 * megabytes, far past the caches, so each line is a miss).
 */
const SLOT_BYTES = 32;
const SLOT_WORDS = SLOT_BYTES / 4;
/** The value's index in the float view: the slot's fourth 8 bytes. */
const VALUE_AT = 3;
const INITIAL_CAPACITY = 1024;

/** Open addressing with linear probing; emptied in O(1) by moving to a new epoch. */
export class TupleTable {
  /** Entries of the current epoch. */
  size = 0;
  private capacity = INITIAL_CAPACITY;
  /** Word 0 of a slot is its stamp: in use when it is the current epoch (0 is never an epoch). */
  private words = new Int32Array(INITIAL_CAPACITY * SLOT_WORDS);
  private values = new Float64Array(this.words.buffer);
  private epoch = 1;

  /** Forgets every entry, keeping the memory for the next ones. */
  clear(): void {
    this.size = 0;
    this.epoch++;
    if (this.epoch === 0x7fffffff) {
      for (let slot = 0; slot < this.capacity; slot++) this.words[slot * SLOT_WORDS] = 0;
      this.epoch = 1;
    }
  }

  /** The value stored for the tuple, or undefined. */
  get(source: number, destination: number, ports: number, protocol: number): number | undefined {
    const slot = this.locate(source, destination, ports, protocol);
    return slot >= 0 ? this.values[slot * (SLOT_BYTES / 8) + VALUE_AT] : undefined;
  }

  /**
   * The slot holding the tuple (>= 0), or `~slot` of the empty slot where it would go (< 0), for
   * {@link valueAt}, {@link setAt} and {@link insertAt}: a lookup then a store probe once.
   */
  locate(source: number, destination: number, ports: number, protocol: number): number {
    const mask = this.capacity - 1;
    const words = this.words;
    const epoch = this.epoch;
    let slot = hash(source, destination, ports, protocol) & mask;
    for (;;) {
      const at = slot * SLOT_WORDS;
      if (words[at] !== epoch) return ~slot;
      if (
        words[at + 1] === source &&
        words[at + 2] === destination &&
        words[at + 3] === ports &&
        words[at + 4] === protocol
      )
        return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** The value in a slot {@link locate} found. */
  valueAt(slot: number): number {
    return this.values[slot * (SLOT_BYTES / 8) + VALUE_AT]!;
  }

  /** Replaces the value in a slot {@link locate} found. */
  setAt(slot: number, value: number): void {
    this.values[slot * (SLOT_BYTES / 8) + VALUE_AT] = value;
  }

  /** Adds the tuple at `~located`, what {@link locate} answered for it (no store in between). */
  insertAt(
    located: number,
    source: number,
    destination: number,
    ports: number,
    protocol: number,
    value: number,
  ): void {
    let slot = ~located;
    // At most half full, so that probes stay short.
    if ((this.size + 1) * 2 > this.capacity) {
      this.grow();
      slot = ~this.locate(source, destination, ports, protocol);
    }
    const at = slot * SLOT_WORDS;
    this.words[at] = this.epoch;
    this.words[at + 1] = source;
    this.words[at + 2] = destination;
    this.words[at + 3] = ports;
    this.words[at + 4] = protocol;
    this.values[slot * (SLOT_BYTES / 8) + VALUE_AT] = value;
    this.size++;
  }

  private grow(): void {
    const { words, values, capacity, epoch } = this;
    this.capacity = capacity * 2;
    this.words = new Int32Array(this.capacity * SLOT_WORDS);
    this.values = new Float64Array(this.words.buffer);
    this.epoch = 1;
    this.size = 0;
    for (let slot = 0; slot < capacity; slot++) {
      const at = slot * SLOT_WORDS;
      if (words[at] !== epoch) continue;
      const source = words[at + 1]!;
      const destination = words[at + 2]!;
      const ports = words[at + 3]!;
      const protocol = words[at + 4]!;
      this.insertAt(
        this.locate(source, destination, ports, protocol),
        source,
        destination,
        ports,
        protocol,
        values[slot * (SLOT_BYTES / 8) + VALUE_AT]!,
      );
    }
  }
}

/** Mixes the four words (multiplicative hashing: the low bits depend on every word). */
function hash(source: number, destination: number, ports: number, protocol: number): number {
  let h = Math.imul(source ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ destination, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ ports, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15) ^ protocol, 0x165667b1);
  return h ^ (h >>> 16);
}

/**
 * A dotted-quad IPv4 address in its canonical form (no leading zeros, each part 0-255) as a
 * 32-bit integer, or undefined. Only the canonical form, so that two addresses are the same
 * integer exactly when they are the same text (as the string keys they replace were).
 */
export function canonicalIPv4(text: string): number | undefined {
  const length = text.length;
  if (length < 7 || length > 15) return undefined;
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= length; i++) {
    const c = i === length ? 46 : text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255 || parts === 4) return undefined;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return undefined;
      part = part * 10 + (c - 48);
      digits++;
    } else return undefined;
  }
  return parts === 4 ? value | 0 : undefined;
}
