import { describe, expect, it } from 'vitest';
import { parseKubeVersion, strictCIDRValidation } from './options.ts';

describe('parseKubeVersion', () => {
  it.each([
    ['1.35', { major: 1, minor: 35 }],
    ['v1.36', { major: 1, minor: 36 }],
    ['1.38.2', { major: 1, minor: 38 }],
  ])('reads %s', (text, version) => {
    expect(parseKubeVersion(text)).toEqual(version);
  });

  it.each(['', '1', 'latest', '1.x', '1.35.2.1', 'v'])('refuses %j', (text) => {
    expect(parseKubeVersion(text)).toBeUndefined();
  });
});

describe('strictCIDRValidation', () => {
  it('is on from 1.36 (and by default), off before', () => {
    expect(strictCIDRValidation(undefined)).toBe(true);
    expect(strictCIDRValidation({ major: 1, minor: 36 })).toBe(true);
    expect(strictCIDRValidation({ major: 1, minor: 40 })).toBe(true);
    expect(strictCIDRValidation({ major: 2, minor: 0 })).toBe(true);
    expect(strictCIDRValidation({ major: 1, minor: 35 })).toBe(false);
    expect(strictCIDRValidation({ major: 1, minor: 9 })).toBe(false);
  });
});
