import { describe, expect, it } from 'vitest';
import { timeOf } from './fields.ts';

describe('timeOf', () => {
  it.each([
    ['2026-12-01T10:00:00Z', Date.UTC(2026, 11, 1, 10)],
    ['2026-12-01T10:00:00.5Z', Date.UTC(2026, 11, 1, 10, 0, 0, 500)],
    // Hubble's nanoseconds: truncated to the millisecond.
    ['2026-12-01T10:00:00.123456789Z', Date.UTC(2026, 11, 1, 10, 0, 0, 123)],
    ['2024-02-29T23:59:59.999Z', Date.UTC(2024, 1, 29, 23, 59, 59, 999)],
    ['1969-12-31T23:59:59.5Z', -500],
    ['2026-12-01T10:00:00.123+02:00', Date.UTC(2026, 11, 1, 8, 0, 0, 123)],
    ['1796119200', 1796119200000],
    ['2026-12-01T10:00:00.Z', undefined],
    ['2026-13-01T10:00:00Z', undefined],
    ['yesterday', undefined],
  ])('reads %s', (text, expected) => {
    expect(timeOf(text)).toBe(expected);
  });

  it('reads RFC 3339 UTC times as Date.parse does, whatever the fields', () => {
    // Seeded, so a failure replays: in-range and out-of-range fields, 0-9 fraction digits.
    let state = 7;
    const int = (n: number) => {
      state = (state * 48271) % 2147483647;
      return state % n;
    };
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const mismatches: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const digits = int(11);
      const fraction = digits === 0 ? '' : `.${Array.from({ length: digits - 1 }, () => int(10)).join('')}`;
      const text = `${pad(int(10000), 4)}-${pad(int(14), 2)}-${pad(int(33), 2)}T${pad(int(25), 2)}:${pad(int(61), 2)}:${pad(int(61), 2)}${fraction}Z`;
      const parsed = Date.parse(text);
      if (timeOf(text) !== (Number.isNaN(parsed) ? undefined : parsed)) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });
});
