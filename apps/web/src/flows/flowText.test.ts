import { describe, expect, it } from 'vitest';
import type { FlowRuleView } from '../workspace/index.ts';
import { formatTime, ruleText, withEdits } from './flowText.ts';

const rule = (r: Partial<FlowRuleView>): FlowRuleView => ({
  side: 'ingress',
  layer: 'NetworkPolicy',
  policies: ['store/store-api'],
  rule: 0,
  action: 'allow',
  source: undefined,
  ...r,
});

describe('ruleText', () => {
  it.each([
    [rule({}), 'ingress: allowed by NetworkPolicy store/store-api ingress rule 0'],
    [
      rule({ rule: undefined, action: 'deny' }),
      'ingress: denied: store/store-api isolates it and no rule admits it',
    ],
    [
      rule({ rule: undefined, action: 'deny', policies: ['a/x', 'a/y'] }),
      'ingress: denied: a/x, a/y isolate it and no rule admits it',
    ],
    [
      rule({
        side: 'egress',
        layer: 'Admin',
        policies: ['ClusterNetworkPolicy/lockdown'],
        rule: 2,
        action: 'deny',
      }),
      'egress: denied by the Admin tier: ClusterNetworkPolicy/lockdown egress rule 2',
    ],
    [
      rule({ layer: 'Baseline', policies: ['BaselineAdminNetworkPolicy/default'], rule: 0, action: 'deny' }),
      'ingress: denied by the Baseline tier: BaselineAdminNetworkPolicy/default ingress rule 0',
    ],
    [rule({ layer: 'default', policies: [], rule: undefined }), 'ingress: allowed (no policy decides it)'],
  ])('says which tier, policy and rule decided (%#)', (input, text) => {
    expect(ruleText(input)).toBe(text);
  });
});

describe('formatTime', () => {
  it('writes UTC to the second, and a dash for no time', () => {
    expect(formatTime(Date.parse('2025-12-01T10:01:16.250Z'))).toBe('2025-12-01 10:01:16Z');
    expect(formatTime(undefined)).toBe('—');
  });
});

describe('withEdits', () => {
  it('replaces edited files and adds new ones, keeping the order and the untouched files', () => {
    const files = [
      { path: 'a.yaml', text: 'a' },
      { path: 'b.yaml', text: 'b' },
    ];
    const out = withEdits(files, [
      { path: 'b.yaml', after: 'b2' },
      { path: 'c.yaml', after: 'c' },
    ]);
    expect(out).toEqual([
      { path: 'a.yaml', text: 'a' },
      { path: 'b.yaml', text: 'b2' },
      { path: 'c.yaml', text: 'c' },
    ]);
    expect(out[0]).toBe(files[0]);
  });
});
