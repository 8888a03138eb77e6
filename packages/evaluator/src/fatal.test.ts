import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { buildCluster, isFatal } from './index.ts';

const parse = (text: string) => parseManifests([{ path: 'x.yaml', text }]);

describe('isFatal', () => {
  it('lets Pods and Namespaces the API server refuses for metadata or container ports be analysed', () => {
    const text = [
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: team.a }',
      'apiVersion: v1\nkind: Pod\nmetadata: { name: Web, namespace: shop, labels: { app: "bad value!" } }\n' +
        'spec: { containers: [{ name: c, ports: [{ containerPort: 0 }, { name: http, containerPort: 80, hostPort: 70000 }] }] }\n' +
        'status: { podIP: 10.0.0.1 }',
    ].join('\n---\n');
    const parsed = parse(text);
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual([
      'meta-invalid-name',
      'meta-invalid-name',
      'meta-invalid-label-value',
      'pod-container-port-required',
      'pod-host-port-range',
    ]);
    expect(errors.filter(isFatal)).toEqual([]);
    expect(buildCluster(parsed.objects).workloads.map((w) => w.id)).toEqual(['shop/Web[Pod]']);
  });

  it("keeps NetworkPolicy refusals and the evaluator's own pod problems fatal", () => {
    const policy = parse(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: np, namespace: shop, labels: { "a b": x } }\nspec: { podSelector: {} }',
    );
    expect(policy.diagnostics.filter(isFatal).map((d) => d.code)).toEqual(['meta-invalid-label-key']);
    expect(
      isFatal({
        code: 'pod-owner-label-gap',
        severity: 'error',
        message: '',
        file: '',
        field: '',
        range: undefined,
        kind: 'Pod',
      }),
    ).toBe(true);
  });
});
