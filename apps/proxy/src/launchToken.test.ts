import { describe, expect, it } from 'vitest';
import { formatDuration, LaunchToken, parseDuration } from './launchToken.ts';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['8h', 28_800_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it.each(['', '8', 'h', '8 h', '-1h', '8x', '1h-30m', 'off'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats for messages', () => {
    expect(formatDuration(28_800_000)).toBe('8h');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_061_000)).toBe('1d1h1m1s');
    expect(formatDuration(0)).toBe('0s');
  });
});

describe('LaunchToken', () => {
  it('without limits, lives as long as the proxy', () => {
    let now = 0;
    const token = new LaunchToken(undefined, () => now);
    now = 1e12;
    expect(token.check(token.value, 'h')).toBeUndefined();
    expect(token.expiresAt).toBeUndefined();
  });

  it('refuses other values in constant time, whatever their length', () => {
    const token = new LaunchToken();
    for (const other of [undefined, '', 'x', token.value.slice(1), `${token.value}x`, [token.value]])
      expect(token.check(other, 'h')).toBe('missing or wrong h header');
  });
});
