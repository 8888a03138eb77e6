import { SeededRandom } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import {
  ALL_CONNECTIONS,
  type ConnectionSet,
  connectionKey,
  intersectConnections,
  NO_CONNECTIONS,
  PROTOCOLS,
  portRangeConnections,
  unionConnections,
} from './index.ts';
import { ALL_ID, EMPTY_ID, InternedSets } from './internedSets.ts';

/** A random set of a few port ranges over a few protocols, often empty or full. */
function randomSet(random: SeededRandom): ConnectionSet {
  const roll = random.next();
  if (roll < 0.1) return NO_CONNECTIONS;
  if (roll < 0.2) return ALL_CONNECTIONS;
  let out = NO_CONNECTIONS;
  const ranges = 1 + Math.floor(random.next() * 3);
  for (let i = 0; i < ranges; i++) {
    const protocol = PROTOCOLS[Math.floor(random.next() * PROTOCOLS.length)]!;
    const from = 1 + Math.floor(random.next() * 100);
    out = unionConnections(out, portRangeConnections(protocol, from, from + Math.floor(random.next() * 20)));
  }
  return out;
}

describe('InternedSets', () => {
  it('gives equal sets one id, and keeps the empty and the full set at their fixed ids', () => {
    const sets = new InternedSets();
    const a = sets.intern(portRangeConnections('TCP', 80, 81));
    expect(
      sets.intern(unionConnections(portRangeConnections('TCP', 80, 80), portRangeConnections('TCP', 81, 81))),
    ).toBe(a);
    expect(sets.intern(portRangeConnections('UDP', 80, 81))).not.toBe(a);
    expect(sets.intern(NO_CONNECTIONS)).toBe(EMPTY_ID);
    expect(sets.intern(portRangeConnections('TCP', 9, 1))).toBe(EMPTY_ID);
    expect(sets.intern(ALL_CONNECTIONS)).toBe(ALL_ID);
    expect(sets.intern({ ...ALL_CONNECTIONS })).toBe(ALL_ID);
    expect(sets.list[a]).toEqual(portRangeConnections('TCP', 80, 81));
  });

  it('both and either are the intersection and the union of the sets behind the ids', () => {
    const random = new SeededRandom(7);
    const sets = new InternedSets();
    const pool = Array.from({ length: 40 }, () => randomSet(random));
    const ids = pool.map((s) => sets.intern(s));
    for (let i = 0; i < pool.length; i++) {
      for (let j = 0; j < pool.length; j++) {
        const both = sets.both(ids[i]!, ids[j]!);
        const either = sets.either(ids[i]!, ids[j]!);
        expect(connectionKey(sets.list[both]!)).toBe(connectionKey(intersectConnections(pool[i]!, pool[j]!)));
        expect(connectionKey(sets.list[either]!)).toBe(connectionKey(unionConnections(pool[i]!, pool[j]!)));
        // Asked again (from the table), the same id.
        expect(sets.both(ids[i]!, ids[j]!)).toBe(both);
        expect(sets.either(ids[i]!, ids[j]!)).toBe(either);
      }
    }
  });
});
