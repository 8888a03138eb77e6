// The one seeded pseudo-random generator of the repository (mulberry32). Generated test clusters,
// fuzz mutations and bench workspaces must be reproducible from a seed, which Math.random cannot
// give. It lives in this package because every package, app and bench depends on it, so each of
// them can import it without crossing a boundary; nothing in the analysis itself uses it.

/** A seeded stream of pseudo-random numbers: the same seed always gives the same sequence. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next number in [0, 1) (mulberry32: 32 bits of state, fast, well mixed for test data). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One of `items`, each equally likely (`items` must not be empty). */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}
