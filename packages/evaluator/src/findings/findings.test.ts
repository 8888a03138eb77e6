// Every finding rule against a fixture that triggers it and near misses that must not, then
// properties every finding must have (ids, locations, readable text).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CniProfile } from '../model.ts';
import { FINDING_RULES, findingRuleInfo } from './catalog.ts';
import { findingInstances, reviewFiles } from './testing.ts';
import { TIER_CASES } from './tiersTesting.ts';
import type { Finding, FindingRule, FindingSeverity, FixSuggestion } from './types.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

/** Reviews one fixture; the file is named by its path under fixtures/, as reports will print it. */
function review(path: string, cni?: CniProfile): Finding[] {
  return reviewFiles([{ path, text: readFileSync(join(FIXTURES, path), 'utf8') }], cni).findings;
}

interface Case {
  rule: FindingRule;
  /** A subject the triggered finding must name. */
  subject: string;
  severity: FindingSeverity;
  /** The kind of fix the finding must suggest, when it has one. */
  fix?: FixSuggestion['kind'];
  cni?: CniProfile;
  /** The near miss is the trigger fixture reviewed with another CNI. */
  nearMissCni?: CniProfile;
}

const CASES: Case[] = [
  {
    rule: 'cni-not-enforced',
    subject: 'shop/default-deny',
    severity: 'critical',
    cni: 'flannel',
    nearMissCni: 'calico',
  },
  { rule: 'cni-policy-not-analysed', subject: 'shop/api-l7', severity: 'medium' },
  { rule: 'invalid-manifest', subject: 'shop/api-from-corp', severity: 'high' },
  { rule: 'unknown-field', subject: 'shop/api-from-web', severity: 'high', fix: 'move-into-match-labels' },
  { rule: 'ignored-direction', subject: 'shop/api', severity: 'high', fix: 'add-policy-type' },
  { rule: 'defaulted-policy-types', subject: 'shop/web-egress', severity: 'medium', fix: 'set-policy-types' },
  {
    rule: 'open-ingress',
    subject: 'shop/web[Deployment]',
    severity: 'high',
    fix: 'preset-default-deny-ingress',
  },
  {
    rule: 'open-egress',
    subject: 'shop/web[Deployment]',
    severity: 'medium',
    fix: 'preset-default-deny-egress',
  },
  {
    rule: 'missing-default-deny-ingress',
    subject: 'shop/web[Deployment]',
    severity: 'medium',
    fix: 'preset-default-deny-ingress',
  },
  {
    rule: 'missing-default-deny-egress',
    subject: 'shop/api[Deployment]',
    severity: 'low',
    fix: 'preset-default-deny-egress',
  },
  { rule: 'allow-any-peer', subject: 'shop/api-open', severity: 'high', fix: 'set-peers' },
  { rule: 'world-cidr', subject: 'shop/web-egress', severity: 'medium', fix: 'add-ipblock-except' },
  // Both fixtures limit the rule to one port: one step below the every-port severity (severity.test.ts).
  {
    rule: 'all-namespaces',
    subject: 'shop/api-from-anywhere',
    severity: 'medium',
    fix: 'use-namespace-name-label',
  },
  { rule: 'all-ports', subject: 'shop/api-from-web', severity: 'low', fix: 'restrict-ports' },
  { rule: 'ipblock-covers-pods', subject: 'shop/web-1[Pod]', severity: 'medium', fix: 'add-ipblock-except' },
  { rule: 'ipblock-covers-nodes', subject: 'shop/web-egress', severity: 'high', fix: 'add-ipblock-except' },
  {
    rule: 'ipblock-reaches-metadata',
    subject: 'shop/web-egress',
    severity: 'high',
    fix: 'add-ipblock-except',
  },
  { rule: 'ipblock-unseen-range', subject: 'shop/web-egress', severity: 'low' },
  {
    rule: 'namespace-label-spoofable',
    subject: 'shop/api-from-monitoring',
    severity: 'medium',
    fix: 'use-namespace-name-label',
  },
  {
    rule: 'pod-label-spoofable',
    subject: 'shop/api-from-web',
    severity: 'low',
    fix: 'restrict-pod-labels',
  },
  { rule: 'and-or-split', subject: 'shop/api-from-prometheus', severity: 'high', fix: 'merge-peers' },
  {
    rule: 'and-or-joined',
    subject: 'shop/api-from-monitoring-or-web',
    severity: 'medium',
    fix: 'split-peer',
  },
  {
    rule: 'policy-selects-nothing',
    subject: 'shop/api-ingress',
    severity: 'low',
    fix: 'move-into-match-labels',
  },
  { rule: 'peer-matches-nothing', subject: 'shop/api-from-web', severity: 'low', fix: 'set-peer-labels' },
  { rule: 'named-port-undefined', subject: 'shop/api-from-web', severity: 'medium', fix: 'replace-port' },
  { rule: 'named-port-protocol', subject: 'shop/api-dns', severity: 'medium', fix: 'set-port-protocol' },
  { rule: 'duplicate-rule', subject: 'shop/api-from-web', severity: 'low', fix: 'remove-rule' },
  { rule: 'shadowed-rule', subject: 'shop/api-ingress', severity: 'low', fix: 'remove-rule' },
  {
    rule: 'host-network',
    subject: 'shop/node-exporter[DaemonSet]',
    severity: 'info',
    fix: 'disable-host-network',
  },
  { rule: 'sctp-port', subject: 'shop/api-sctp', severity: 'info' },
  { rule: 'end-port', subject: 'shop/api-range', severity: 'info' },
  { rule: 'node-traffic', subject: '', severity: 'info' },
  { rule: 'no-workloads', subject: '', severity: 'info' },
  {
    rule: 'negative-selector',
    subject: 'shop/api-from-not-batch',
    severity: 'medium',
    fix: 'require-label-in',
  },
  { rule: 'undeclared-port', subject: 'shop/web[Deployment]', severity: 'low', fix: 'remove-port' },
  { rule: 'combined-widening', subject: 'data/allow-same-namespace', severity: 'medium' },
  { rule: 'one-sided-rule', subject: 'shop/api-egress', severity: 'medium', fix: 'set-policy-types' },
  { rule: 'dns-unreachable', subject: 'shop/web[Deployment]', severity: 'medium', fix: 'add-dns-egress' },
  ...TIER_CASES,
];

/** Rules about the whole cluster, which point at no line. */
const CLUSTER_WIDE = new Set<FindingRule>(['node-traffic', 'no-workloads']);

function nearMisses(rule: FindingRule): string[] {
  return readdirSync(join(FIXTURES, rule))
    .filter((f) => f.startsWith('near-miss'))
    .map((f) => `${rule}/${f}`);
}

describe('findings: each rule has a trigger and a near miss', () => {
  it('covers every rule of the catalog', () => {
    expect(CASES.map((c) => c.rule).sort()).toEqual(FINDING_RULES.map((r) => r.rule).sort());
    for (const c of CASES) {
      expect(existsSync(join(FIXTURES, c.rule, 'trigger.yaml')), c.rule).toBe(true);
      expect(nearMisses(c.rule).length > 0 || c.nearMissCni !== undefined, c.rule).toBe(true);
    }
  });

  it('gives every rule a fix, except where its catalog entry says why none can be suggested', () => {
    for (const c of CASES) {
      const { noFix } = findingRuleInfo(c.rule);
      expect(c.fix === undefined, `${c.rule}: ${noFix ?? 'no justification'}`).toBe(noFix !== undefined);
      if (noFix) expect(noFix.length).toBeGreaterThan(20);
    }
  });

  describe.each(CASES)('$rule', (c) => {
    it('triggers on its fixture, with the subject, severity, location and fix a reviewer needs', () => {
      const path = `${c.rule}/trigger.yaml`;
      const hits = findingInstances(review(path, c.cni)).filter((f) => f.rule === c.rule);
      expect(hits.length, `no ${c.rule} finding`).toBeGreaterThan(0);
      const hit = c.subject ? hits.find((f) => f.subjects.includes(c.subject)) : hits[0];
      expect(
        hit,
        `no ${c.rule} finding names ${c.subject}: ${JSON.stringify(hits.map((h) => h.subjects))}`,
      ).toBeDefined();
      expect(hit!.severity).toBe(c.severity);
      expect(hit!.id.startsWith(`${findingRuleInfo(c.rule).code}:`)).toBe(true);
      if (!CLUSTER_WIDE.has(c.rule)) {
        expect(hit!.locations.length).toBeGreaterThan(0);
        for (const location of hit!.locations) {
          expect(location.file).toBe(path);
          expect(location.range?.start.line).toBeGreaterThan(1);
        }
      }
      if (c.fix) expect(hit!.fix?.suggestion.kind).toBe(c.fix);
      else expect(hit!.fix).toBeUndefined();
    });

    it('stays silent on its near misses', () => {
      const cases = c.nearMissCni
        ? [{ path: `${c.rule}/trigger.yaml`, cni: c.nearMissCni }]
        : nearMisses(c.rule).map((path) => ({ path, cni: c.cni }));
      for (const { path, cni } of cases) {
        const hits = findingInstances(review(path, cni)).filter((f) => f.rule === c.rule);
        expect(
          hits.map((f) => f.id),
          path,
        ).toEqual([]);
      }
    });
  });
});

describe('findings: properties of every finding', () => {
  const all = CASES.flatMap((c) => [
    review(`${c.rule}/trigger.yaml`, c.cni),
    ...nearMisses(c.rule).map((p) => review(p, c.cni)),
  ]);

  it('have unique ids within one review, and the same ids on a second run', () => {
    for (const list of all) expect(new Set(list.map((f) => f.id)).size).toBe(list.length);
    const again = review('and-or-split/trigger.yaml').map((f) => f.id);
    expect(again).toEqual(review('and-or-split/trigger.yaml').map((f) => f.id));
  });

  it('read as sentences: no template holes, a title on one line', () => {
    for (const f of all.flat()) {
      for (const text of [f.title, f.message, f.fix?.description ?? '']) {
        expect(text, f.id).not.toMatch(/undefined|\[object Object\]|NaN/);
      }
      expect(f.title).not.toContain('\n');
      expect(f.message.length).toBeGreaterThan(f.title.length / 2);
    }
  });

  it('come sorted, most severe first', () => {
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    for (const list of all) {
      const ranks = list.map((f) => order.indexOf(f.severity));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
  });
});

describe('findings: details a reviewer relies on', () => {
  it('suggests the ports the destination serves when a rule admits every port', () => {
    const hit = review('all-ports/trigger.yaml').find((f) => f.rule === 'all-ports')!;
    expect(hit.fix?.suggestion).toEqual({
      kind: 'restrict-ports',
      policy: 'shop/api-from-web',
      direction: 'Ingress',
      rule: 0,
      ports: [
        { protocol: 'TCP', port: 9090 },
        { protocol: 'UDP', port: 5353 },
      ],
    });
  });

  it('suggests excepting the pod range that an ipBlock covers, inside its cidr', () => {
    const hit = review('ipblock-covers-pods/trigger.yaml').find((f) => f.rule === 'ipblock-covers-pods')!;
    expect(hit.subjects).toEqual(['shop/api-from-corp', 'shop/api-1[Pod]', 'shop/web-1[Pod]']);
    expect(hit.fix?.suggestion).toMatchObject({ kind: 'add-ipblock-except', except: ['10.244.0.0/22'] });
  });

  it('says Cilium does not match pod IPs when the CNI is Cilium', () => {
    const text = readFileSync(join(FIXTURES, 'ipblock-covers-pods/trigger.yaml'), 'utf8');
    const list = reviewFiles([{ path: 'x.yaml', text }], 'cilium').findings;
    expect(list.find((f) => f.rule === 'ipblock-covers-pods')?.message).toContain(
      'On Cilium (the stated CNI) it does not admit them',
    );
  });

  it('names the namespaces to pin by name when a namespace label can be spoofed', () => {
    const hit = review('namespace-label-spoofable/trigger.yaml').find(
      (f) => f.rule === 'namespace-label-spoofable',
    )!;
    expect(hit.fix?.suggestion).toMatchObject({ peer: 0, rule: 0, namespaces: ['monitoring'] });
    expect(hit.message).toContain('team=monitoring');
  });

  it('points at both peers of the AND/OR trap and explains the missing AND', () => {
    const hit = review('and-or-split/trigger.yaml').find((f) => f.rule === 'and-or-split')!;
    expect(hit.locations).toHaveLength(2);
    expect(hit.message).toContain('monitoring/prometheus[Deployment]');
    expect(hit.fix?.suggestion).toEqual({
      kind: 'merge-peers',
      policy: 'shop/api-from-prometheus',
      direction: 'Ingress',
      rule: 0,
      namespacePeer: 0,
      podPeer: 1,
    });
    // The OR-ed podSelector peer matches nothing, but that is the trap, not a second finding.
    expect(review('and-or-split/trigger.yaml').filter((f) => f.rule === 'peer-matches-nothing')).toEqual([]);
  });

  it('moves the notes-style labels under matchLabels and says the selector became `{}`', () => {
    const hit = review('unknown-field/trigger.yaml').find((f) => f.rule === 'unknown-field')!;
    expect(hit.fix?.suggestion).toEqual({
      kind: 'move-into-match-labels',
      policy: 'shop/api-from-web',
      path: ['spec', 'podSelector'],
      labels: { app: 'api' },
    });
    expect(hit.message).toContain('selects EVERY pod of namespace shop');
  });

  it('removes only the undeclared port entry, and says when it is the only one', () => {
    const hit = review('undeclared-port/trigger.yaml').find((f) => f.rule === 'undeclared-port')!;
    expect(hit.title).toContain('UDP 53');
    expect(hit.fix?.suggestion).toMatchObject({ kind: 'remove-port', rule: 0, port: 1 });
    const only = readFileSync(join(FIXTURES, 'undeclared-port/trigger.yaml'), 'utf8').replace(
      '        - { port: 8080 }\n',
      '',
    );
    const alone = reviewFiles([{ path: 'x.yaml', text: only }]).findings.find(
      (f) => f.rule === 'undeclared-port',
    )!;
    expect(alone.fix?.description).toContain('is its only port');
  });

  it('reports the rule that covers a shadowed one', () => {
    const hit = review('shadowed-rule/trigger.yaml').find((f) => f.rule === 'shadowed-rule')!;
    expect(hit.fix?.suggestion).toMatchObject({ rule: 0, coveredBy: 1 });
  });

  it('rates a whole-space egress lower when it carves out holes: internet egress on purpose', () => {
    const text = readFileSync(join(FIXTURES, 'world-cidr/trigger.yaml'), 'utf8').replace(
      '{ cidr: 0.0.0.0/0 }',
      '{ cidr: 0.0.0.0/0, except: [10.0.0.0/8] }',
    );
    const hit = reviewFiles([{ path: 'x.yaml', text }]).findings.find((f) => f.rule === 'world-cidr')!;
    expect(hit.severity).toBe('low');
    expect(hit.title).toContain('except 10.0.0.0/8');
  });

  it('summarises a non-enforcing CNI once, with every policy located', () => {
    const list = review('cni-not-enforced/trigger.yaml', 'kubenet').filter(
      (f) => f.rule === 'cni-not-enforced',
    );
    expect(list).toHaveLength(1);
    expect(list[0]!.title).toContain('kubenet');
  });

  it('reports an egress rule written with `from` as a rule that admits every destination', () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-egress, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - from:
        - podSelector: { matchLabels: { app: api } }
`;
    const hit = reviewFiles([{ path: 'x.yaml', text }]).findings.find((f) => f.rule === 'unknown-field')!;
    expect(hit.message).toContain('Egress rules take `to`, not `from`');
    expect(hit.message).toContain('admits EVERY destination');
  });
});
