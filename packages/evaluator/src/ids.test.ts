import { parseIPv4 } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import {
  externalRangeId,
  kindOfId,
  namespacedPolicyId,
  parseExternalRangeId,
  parsePolicyId,
  parseWorkloadId,
  workloadId,
} from './ids.ts';

describe('ids', () => {
  it('builds and parses workload ids, names with dots and dashes included', () => {
    const id = workloadId('store', 'store-api.v2', 'Deployment');
    expect(id).toBe('store/store-api.v2[Deployment]');
    expect(parseWorkloadId(id)).toEqual({ namespace: 'store', name: 'store-api.v2', kind: 'Deployment' });
  });

  it('builds and parses policy ids', () => {
    expect(namespacedPolicyId('default', 'demo-db')).toBe('default/demo-db');
    expect(parsePolicyId('default/demo-db')).toEqual({ namespace: 'default', name: 'demo-db' });
  });

  it('builds and parses external range ids', () => {
    const first = parseIPv4('10.0.0.0')!;
    const last = parseIPv4('10.255.255.255')!;
    const id = externalRangeId(first, last);
    expect(id).toBe('10.0.0.0-10.255.255.255[External]');
    expect(parseExternalRangeId(id)).toEqual({ first, last });
    expect(parseExternalRangeId('0.0.0.0-255.255.255.255[External]')).toEqual({
      first: 0,
      last: 2 ** 32 - 1,
    });
  });

  it('tells the kinds apart and refuses what is none of them', () => {
    const cases: [string, ReturnType<typeof kindOfId>][] = [
      ['ns/name[Pod]', 'workload'],
      ['ns/name', 'policy'],
      ['1.2.3.4-1.2.3.4[External]', 'external'],
      ['name', undefined],
      ['/name', undefined],
      ['ns/', undefined],
      ['ns/[Pod]', undefined],
      ['1.2.3-1.2.3.4[External]', undefined],
      ['1.2.3.5-1.2.3.4[External]', undefined],
    ];
    for (const [id, kind] of cases) expect(kindOfId(id), id).toBe(kind);
    expect(parseWorkloadId('1.2.3.4-1.2.3.4[External]')).toBeUndefined();
    expect(parsePolicyId('ns/name[Pod]')).toBeUndefined();
  });
});
