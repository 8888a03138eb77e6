/**
 * A hash table from a connection's 5-tuple of IPv4 addresses to a number, in typed arrays.
 *
 * The connection tracker looks up every Hubble record's tuple, and a file of a million records
 * holds tens of thousands of live tuples at any time. Kept in a `Map` under a string key, each
 * record paid for building and hashing that string, and each new tuple left a string and a map
 * entry that outlived the young generation (garbage the collector had to copy and then mark). Here
 * a tuple is four 32-bit words in place and costs no allocation at all.
 */

/** The words of a key: source address, destination address, both ports, protocol. */
const WORDS = 4;
const INITIAL_CAPACITY = 1024;

/** Open addressing with linear probing; emptied in O(1) by moving to a new epoch. */
export class TupleTable {
  /** Entries of the current epoch. */
  size = 0;
  private capacity = INITIAL_CAPACITY;
  private keys = new Int32Array(INITIAL_CAPACITY * WORDS);
  private values = new Float64Array(INITIAL_CAPACITY);
  /** A slot is in use when its stamp is the current epoch (0 is never an epoch). */
  private stamps = new Int32Array(INITIAL_CAPACITY);
  private epoch = 1;

  /** Forgets every entry, keeping the memory for the next ones. */
  clear(): void {
    this.size = 0;
    this.epoch++;
    if (this.epoch === 0x7fffffff) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
  }

  /** The value stored for the tuple, or undefined. */
  get(source: number, destination: number, ports: number, protocol: number): number | undefined {
    const slot = this.find(source, destination, ports, protocol);
    return this.stamps[slot] === this.epoch ? this.values[slot] : undefined;
  }

  set(source: number, destination: number, ports: number, protocol: number, value: number): void {
    let slot = this.find(source, destination, ports, protocol);
    if (this.stamps[slot] !== this.epoch) {
      // At most half full, so that probes stay short.
      if ((this.size + 1) * 2 > this.capacity) {
        this.grow();
        slot = this.find(source, destination, ports, protocol);
      }
      const at = slot * WORDS;
      this.keys[at] = source;
      this.keys[at + 1] = destination;
      this.keys[at + 2] = ports;
      this.keys[at + 3] = protocol;
      this.stamps[slot] = this.epoch;
      this.size++;
    }
    this.values[slot] = value;
  }

  /** The slot holding the tuple, or the empty slot where it would go. */
  private find(source: number, destination: number, ports: number, protocol: number): number {
    const mask = this.capacity - 1;
    const keys = this.keys;
    const stamps = this.stamps;
    const epoch = this.epoch;
    let slot = hash(source, destination, ports, protocol) & mask;
    while (stamps[slot] === epoch) {
      const at = slot * WORDS;
      if (
        keys[at] === source &&
        keys[at + 1] === destination &&
        keys[at + 2] === ports &&
        keys[at + 3] === protocol
      )
        return slot;
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private grow(): void {
    const { keys, values, stamps, capacity, epoch } = this;
    this.capacity = capacity * 2;
    this.keys = new Int32Array(this.capacity * WORDS);
    this.values = new Float64Array(this.capacity);
    this.stamps = new Int32Array(this.capacity);
    this.epoch = 1;
    this.size = 0;
    for (let slot = 0; slot < capacity; slot++) {
      if (stamps[slot] !== epoch) continue;
      const at = slot * WORDS;
      this.set(keys[at]!, keys[at + 1]!, keys[at + 2]!, keys[at + 3]!, values[slot]!);
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
