// The project notes' examples (as the notes write them, re-indented), malformed ones included, and the embedded demo: the validation
// errors and findings a reviewer would expect, and no false alarm.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findingInstances, reviewFiles } from './testing.ts';
import type { Finding } from './types.ts';

const NOTES = fileURLToPath(new URL('./fixtures/notes', import.meta.url));
const DEMO = fileURLToPath(new URL('../../../../public/demo', import.meta.url));

function filesOf(dir: string, only?: string) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && (!only || f === only))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') }));
}

describe('the notes, malformed examples', () => {
  it('the first example\'s "[]NetworkPolicyIngressRule # Not expanded" placeholder is a YAML error, reported as such', () => {
    // Stored as .txt so that the repository's YAML linter does not trip over it.
    const text = readFileSync(join(NOTES, 'first-example.yaml.txt'), 'utf8');
    const { diagnostics, findings } = reviewFiles([{ path: 'first-example.yaml', text }]);
    expect(diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([['yaml-syntax', 14]]);
    expect(findings.map((f) => f.rule)).toEqual(['invalid-manifest']);
    expect(findings[0]!.locations[0]).toMatchObject({
      file: 'first-example.yaml',
      range: { start: { line: 14 } },
    });
  });

  it('selectors and ipBlocks written as lists are refused, and the pods they were for stay open', () => {
    const { diagnostics, findings } = reviewFiles(filesOf(NOTES, 'malformed-peers.yaml'));
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.object} ${d.field} [${d.code}]`).sort()).toEqual([
      'default/and-as-lists spec.ingress[0].from[0].namespaceSelector [np-type]',
      'default/and-as-lists spec.ingress[0].from[0].podSelector [np-type]',
      'default/ipblock-as-list spec.ingress[0].from[0].ipBlock [np-type]',
      'default/namespace-selector-as-list spec.ingress[0].from[0].namespaceSelector [np-type]',
      'default/pod-selector-as-list spec.ingress[0].from[0].podSelector [np-type]',
    ]);
    const invalid = findings.filter((f) => f.rule === 'invalid-manifest');
    expect(invalid).toHaveLength(5);
    expect(invalid.every((f) => f.severity === 'high' && f.message.includes('not in force'))).toBe(true);
    // None of the four policies is in force, so demo is as open as with no policy at all.
    expect(findingInstances(findings).map((f) => f.id)).toContain(
      'NPA-OPEN-INGRESS:default/demo[Deployment]',
    );
    // `service: y` is the YAML 1.1 boolean trap, worth its own warning.
    expect(diagnostics.map((d) => d.code)).toContain('yaml11-reading');
  });

  it('`podSelector: app: downstream-1` without matchLabels: the selector silently becomes `{}`', () => {
    const { cluster, findings } = reviewFiles(filesOf(NOTES, 'store-to-downstream-1.yaml'));
    const unknown = findings.find((f) => f.rule === 'unknown-field')!;
    expect(unknown.severity).toBe('high');
    expect(unknown.title).toContain('spec.podSelector has unknown field(s) app');
    expect(unknown.fix?.suggestion).toMatchObject({ labels: { app: 'downstream-1' } });
    // As a lenient API server stores it, the policy selects every pod, the admin console included.
    const policy = cluster.policies.find((p) => p.id === 'downstream-1/store-to-downstream-1')!;
    expect(policy.selected.map((i) => cluster.workloads[i]!.id)).toEqual([
      'downstream-1/admin-console[Deployment]',
      'downstream-1/downstream-1[Deployment]',
    ]);
    // And the notes' own warning: any namespace labelled app=store gets in.
    // On one port (8080): one step below the every-port high.
    const spoof = findings.find((f) => f.rule === 'namespace-label-spoofable')!;
    expect(spoof.severity).toBe('medium');
    expect(spoof.fix?.suggestion).toMatchObject({ namespaces: ['store'] });
  });
});

describe("the demo (public/demo, the notes' examples written correctly)", () => {
  const { findings } = reviewFiles(filesOf(DEMO));

  it('gives the list a reviewer expects, no more: one group per open namespace, every instance kept', () => {
    const listing = (list: readonly Finding[]): string[] =>
      list.flatMap((f) => [
        `${f.severity} ${f.id}`,
        ...(f.instances ?? []).map((i) => `  ${i.severity} ${i.id}`),
      ]);
    expect(listing(findings)).toEqual([
      'high NPA-OPEN-INGRESS:group/namespace-open:default',
      '  high NPA-OPEN-INGRESS:default/demo[Deployment]',
      '  medium NPA-OPEN-EGRESS:default/demo[Deployment]',
      '  medium NPA-NO-DEFAULT-DENY-INGRESS:default',
      '  low NPA-NO-DEFAULT-DENY-EGRESS:default',
      'high NPA-OPEN-INGRESS:group/namespace-open:frontend',
      '  high NPA-OPEN-INGRESS:frontend/frontend[Deployment]',
      '  medium NPA-OPEN-EGRESS:frontend/frontend[Deployment]',
      '  medium NPA-NO-DEFAULT-DENY-INGRESS:frontend',
      '  low NPA-NO-DEFAULT-DENY-EGRESS:frontend',
      'high NPA-OPEN-INGRESS:group/namespace-open:downstream-2',
      '  high NPA-OPEN-INGRESS:downstream-2/downstream-2[Deployment]',
      '  medium NPA-OPEN-EGRESS:downstream-2/downstream-2[Deployment]',
      '  medium NPA-NO-DEFAULT-DENY-INGRESS:downstream-2',
      '  low NPA-NO-DEFAULT-DENY-EGRESS:downstream-2',
      'medium NPA-OPEN-EGRESS:group/namespace-open:downstream-1',
      '  medium NPA-OPEN-EGRESS:downstream-1/downstream-1[Deployment]',
      '  medium NPA-NO-DEFAULT-DENY-INGRESS:downstream-1',
      '  low NPA-NO-DEFAULT-DENY-EGRESS:downstream-1',
      'medium NPA-DNS-UNREACHABLE:store/store-api',
      // Namespace-label spoofs on one port: one step below the every-port severity.
      'medium NPA-NS-LABEL-SPOOF:downstream-1/store-to-downstream-1/ingress[0].from[0]',
      'low NPA-ALL-PORTS:default/demo-db/ingress[0]',
      'low NPA-NS-LABEL-SPOOF:store/store-api/ingress[0].from[0]',
      'low NPA-NS-LABEL-SPOOF:store/store-api/egress[0].to[0]',
      'low NPA-NS-LABEL-SPOOF:store/store-api/egress[0].to[1]',
      'low NPA-POD-LABEL-SPOOF:default/demo-db/ingress[0].from[0]',
      'info NPA-NODE-TRAFFIC:cluster',
    ]);
  });

  it("raises the notes' demo-db warning: a pod that adds app=demo gets in", () => {
    const hit = findings.find((f) => f.rule === 'pod-label-spoofable')!;
    expect(hit.title).toBe(
      'default/demo-db ingress[0].from[0] admits any pod of default that carries app=demo',
    );
    expect(hit.locations[0]).toMatchObject({ file: 'policies.yaml', range: { start: { line: 17 } } });
  });

  it('does not flag the AND peers of store-api (one `-`, as the notes recommend)', () => {
    const quiet = ['and-or-split', 'and-or-joined', 'peer-matches-nothing', 'policy-selects-nothing'];
    expect(findings.filter((f) => quiet.includes(f.rule))).toEqual([]);
  });

  it('says store is isolated: its policy selects every pod, in both directions', () => {
    expect(
      findingInstances(findings).filter(
        (f) => f.namespaces.includes('store') && f.rule.startsWith('missing-default-deny'),
      ),
    ).toEqual([]);
  });
});
