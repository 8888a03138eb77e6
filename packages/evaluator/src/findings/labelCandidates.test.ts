import type { LabelSelector, Labels } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { assignmentsSatisfying, mergeAssignments } from './labelCandidates.ts';

const sel = (matchLabels?: Labels, matchExpressions?: LabelSelector['matchExpressions']): LabelSelector => ({
  matchLabels,
  matchExpressions,
});

describe('assignmentsSatisfying', () => {
  const valuesFor = (key: string) => (key === 'env' ? ['staging', 'prod'] : []);
  it.each<{ name: string; selector: LabelSelector; current: Labels; expected: Labels[] }>([
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
      name: 'NotIn on a forbidden value: overwrite with a value seen elsewhere',
      selector: sel(undefined, [{ key: 'env', operator: 'NotIn', values: ['staging'] }]),
      current: { env: 'staging' },
      expected: [{ env: 'prod' }],
    },
    {
      name: 'Exists: a value seen elsewhere, else "true"',
      selector: sel(undefined, [{ key: 'debug', operator: 'Exists', values: [] }]),
      current: {},
      expected: [{ debug: 'true' }],
    },
    {
      name: 'DoesNotExist on a present key: adding labels cannot help',
      selector: sel({ app: 'web' }, [{ key: 'quarantine', operator: 'DoesNotExist', values: [] }]),
      current: { quarantine: 'yes' },
      expected: [],
    },
    {
      name: 'conflicting requirements on one key',
      selector: sel({ tier: 'a' }, [{ key: 'tier', operator: 'In', values: ['b'] }]),
      current: {},
      expected: [],
    },
  ])('$name', ({ selector, current, expected }) => {
    expect(assignmentsSatisfying(selector, current, { valuesFor })).toEqual(expected);
  });

  it('refuses immutable keys (kubernetes.io/metadata.name on namespaces)', () => {
    const selector = sel({ 'kubernetes.io/metadata.name': 'api' });
    const options = { valuesFor: () => [], immutable: new Set(['kubernetes.io/metadata.name']) };
    expect(assignmentsSatisfying(selector, { 'kubernetes.io/metadata.name': 'app' }, options)).toEqual([]);
  });
});

describe('mergeAssignments', () => {
  it('merges, and refuses two values for one key', () => {
    expect(mergeAssignments({ a: '1' }, { b: '2' })).toEqual({ a: '1', b: '2' });
    expect(mergeAssignments({ a: '1' }, { a: '2' })).toBeUndefined();
  });
});
