import type { LabelSelector, Labels } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { editsBreaking, editsSatisfying, mergeEdits } from './labelCandidates.ts';

const sel = (matchLabels?: Labels, matchExpressions?: LabelSelector['matchExpressions']): LabelSelector => ({
  matchLabels,
  matchExpressions,
});

describe('editsSatisfying', () => {
  const valuesFor = (key: string) => (key === 'env' ? ['staging', 'prod'] : []);
  it.each<{
    name: string;
    selector: LabelSelector;
    current: Labels;
    expected: Record<string, string | null>[];
  }>([
    { name: 'already matching', selector: sel({ app: 'web' }), current: { app: 'web' }, expected: [{}] },
    {
      name: 'matchLabels',
      selector: sel({ app: 'web', tier: 'fe' }),
      current: { app: 'web' },
      expected: [{ tier: 'fe' }],
    },
    {
      name: 'In gives one alternative per value',
      selector: sel(undefined, [{ key: 'tier', operator: 'In', values: ['a', 'b'] }]),
      current: {},
      expected: [{ tier: 'a' }, { tier: 'b' }],
    },
    {
      name: 'NotIn on a forbidden value: remove it, or overwrite with a value seen elsewhere',
      selector: sel(undefined, [{ key: 'env', operator: 'NotIn', values: ['staging'] }]),
      current: { env: 'staging' },
      expected: [{ env: null }, { env: 'prod' }],
    },
    {
      name: 'Exists: a value seen elsewhere, else "true"',
      selector: sel(undefined, [{ key: 'debug', operator: 'Exists', values: [] }]),
      current: {},
      expected: [{ debug: 'true' }],
    },
    {
      name: 'DoesNotExist on a present key: remove it',
      selector: sel({ app: 'web' }, [{ key: 'quarantine', operator: 'DoesNotExist', values: [] }]),
      current: { quarantine: 'yes' },
      expected: [{ app: 'web', quarantine: null }],
    },
    {
      name: 'conflicting requirements on one key',
      selector: sel({ tier: 'a' }, [{ key: 'tier', operator: 'In', values: ['b'] }]),
      current: {},
      expected: [],
    },
  ])('$name', ({ selector, current, expected }) => {
    expect(editsSatisfying(selector, current, { valuesFor })).toEqual(expected);
  });

  it('refuses immutable keys (kubernetes.io/metadata.name on namespaces)', () => {
    const selector = sel({ 'kubernetes.io/metadata.name': 'api' });
    const options = { valuesFor: () => [], immutable: new Set(['kubernetes.io/metadata.name']) };
    expect(editsSatisfying(selector, { 'kubernetes.io/metadata.name': 'app' }, options)).toEqual([]);
  });
});

describe('editsBreaking', () => {
  const valuesFor = (key: string) => (key === 'app' ? ['api', 'db', 'web'] : []);
  it.each<{
    name: string;
    selector: LabelSelector;
    current: Labels;
    expected: Record<string, string | null>[];
  }>([
    {
      name: 'matchLabels: remove the label, or give it each other value selectors name, or any other',
      selector: sel({ app: 'db' }),
      current: { app: 'db', team: 'x' },
      expected: [{ app: null }, { app: 'api' }, { app: 'web' }, { app: 'other' }],
    },
    {
      name: 'In keeps no value of the list',
      selector: sel(undefined, [{ key: 'app', operator: 'In', values: ['db', 'api'] }]),
      current: { app: 'db' },
      expected: [{ app: null }, { app: 'web' }, { app: 'other' }],
    },
    {
      name: 'NotIn: take a forbidden value',
      selector: sel(undefined, [{ key: 'env', operator: 'NotIn', values: ['prod'] }]),
      current: {},
      expected: [{ env: 'prod' }],
    },
    {
      name: 'Exists: remove; DoesNotExist: add',
      selector: sel(undefined, [
        { key: 'debug', operator: 'Exists', values: [] },
        { key: 'quarantine', operator: 'DoesNotExist', values: [] },
      ]),
      current: { debug: 'on' },
      expected: [{ debug: null }, { quarantine: 'other' }],
    },
    { name: 'a selector that does not match now', selector: sel({ app: 'web' }), current: {}, expected: [] },
    { name: '{} cannot be left', selector: sel({}), current: { app: 'db' }, expected: [] },
  ])('$name', ({ selector, current, expected }) => {
    expect(editsBreaking(selector, current, { valuesFor })).toEqual(expected);
  });

  it('never changes an immutable key', () => {
    const selector = sel({ 'kubernetes.io/metadata.name': 'shop' });
    const options = { valuesFor: () => [], immutable: new Set(['kubernetes.io/metadata.name']) };
    expect(editsBreaking(selector, { 'kubernetes.io/metadata.name': 'shop' }, options)).toEqual([]);
  });
});

describe('mergeEdits', () => {
  it('merges, and refuses two changes of one key', () => {
    expect(mergeEdits({ a: '1' }, { b: null })).toEqual({ a: '1', b: null });
    expect(mergeEdits({ a: '1' }, { a: '2' })).toBeUndefined();
    expect(mergeEdits({ a: '1' }, { a: null })).toBeUndefined();
  });
});
