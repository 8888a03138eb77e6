import { describe, expect, it } from 'vitest';
import { selectorKey } from './peers.ts';

describe('selectorKey', () => {
  it('is the same for the same labels in any order', () => {
    expect(selectorKey('shop', { app: 'web', tier: 'front' })).toBe(
      selectorKey('shop', { tier: 'front', app: 'web' }),
    );
  });

  it.each<{ name: string; ns: string; labels: Record<string, string> }>([
    { name: 'another namespace', ns: 'bank', labels: { app: 'web', tier: 'front' } },
    { name: 'a label fewer', ns: 'shop', labels: { app: 'web' } },
    { name: 'another value', ns: 'shop', labels: { app: 'web', tier: 'back' } },
    { name: 'a label more', ns: 'shop', labels: { app: 'web', tier: 'front', v: '2' } },
  ])('differs for $name', ({ ns, labels }) => {
    expect(selectorKey(ns, labels)).not.toBe(selectorKey('shop', { app: 'web', tier: 'front' }));
  });
});
