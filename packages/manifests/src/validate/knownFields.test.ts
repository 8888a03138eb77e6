import { describe, expect, it } from 'vitest';
import { parseManifests } from '../parse.ts';
import { validateObject } from './object.ts';
import type { FieldValidation } from './options.ts';

const noRange = () => undefined;
const unknown = (kind: string, raw: Record<string, unknown>, mode: FieldValidation = 'Strict') =>
  validateObject(kind, { apiVersion: 'v1', kind, metadata: { name: 'x' }, ...raw }, noRange, 'x.yaml', {
    fieldValidation: mode,
  })
    .filter((d) => d.code === 'unknown-field')
    .map((d) => `${d.severity} ${d.field}: ${d.message}`);

describe('unknown fields', () => {
  it('reports labels written directly under podSelector, as kubectl strict validation does', () => {
    expect(unknown('NetworkPolicy', { spec: { podSelector: { app: 'web' } } })).toEqual([
      'error spec.podSelector.app: unknown field "spec.podSelector.app"',
    ]);
  });

  it('finds them at any depth, with list indices in the path', () => {
    const spec = {
      podSelector: {},
      ingress: [
        { from: [{ podSelector: { matchLabels: { a: 'b' } } }, { namespaceSelector: {}, ipblock: {} }] },
      ],
      egress: [{ from: [] }],
    };
    expect(unknown('NetworkPolicy', { spec, status: {} })).toEqual([
      'error spec.ingress[0].from[1].ipblock: unknown field "spec.ingress[0].from[1].ipblock"',
      'error spec.egress[0].from: unknown field "spec.egress[0].from"',
      'error status: unknown field "status"',
    ]);
  });

  it('warns under Warn and says nothing under Ignore or by default', () => {
    const raw = { spec: { podSelector: { app: 'web' } } };
    expect(unknown('NetworkPolicy', raw, 'Warn')).toEqual([
      'warning spec.podSelector.app: unknown field "spec.podSelector.app"',
    ]);
    expect(unknown('NetworkPolicy', raw, 'Ignore')).toEqual([]);
    expect(
      validateObject(
        'NetworkPolicy',
        { kind: 'NetworkPolicy', metadata: { name: 'x' }, ...raw },
        noRange,
        'x',
      ),
    ).toEqual([]);
  });

  it('checks metadata, pod specs, containers and workload templates', () => {
    expect(
      unknown('Deployment', {
        metadata: { name: 'x', label: { app: 'web' } },
        spec: {
          selector: { app: 'web' },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'a', port: 80, ports: [{ containerport: 80 }] }] },
          },
        },
      }),
    ).toEqual([
      'error metadata.label: unknown field "metadata.label"',
      'error spec.selector.app: unknown field "spec.selector.app"',
      'error spec.template.spec.containers[0].port: unknown field "spec.template.spec.containers[0].port"',
      'error spec.template.spec.containers[0].ports[0].containerport: unknown field "spec.template.spec.containers[0].ports[0].containerport"',
    ]);
  });

  it('accepts a complete, realistic Deployment and leaves unlisted subtrees alone', () => {
    const spec = {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' }, annotations: { a: 'b' } },
        spec: {
          serviceAccountName: 'web',
          securityContext: { runAsNonRoot: true },
          containers: [
            {
              name: 'web',
              image: 'nginx',
              env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/', port: 'http' } },
              resources: { limits: { cpu: '1' } },
            },
          ],
          volumes: [{ name: 'v', emptyDir: {} }],
        },
      },
    };
    expect(unknown('Deployment', { spec, status: { replicas: 2 } })).toEqual([]);
  });

  it('goes through parseManifests options, List items included', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: networking.k8s.io/v1',
      '  kind: NetworkPolicy',
      '  metadata: { name: np, namespace: shop }',
      '  spec:',
      '    podSelector:',
      '      app: web',
    ].join('\n');
    const strict = parseManifests([{ path: 'l.yaml', text }], { validation: { fieldValidation: 'Strict' } });
    const found = strict.diagnostics.filter((d) => d.code === 'unknown-field');
    expect(found.map((d) => [d.field, d.range?.start.line])).toEqual([['spec.podSelector.app', 9]]);
    const policy = strict.objects[0];
    expect(policy?.kind === 'NetworkPolicy' && policy.valid).toBe(false);
    const lenient = parseManifests([{ path: 'l.yaml', text }]);
    expect(lenient.diagnostics).toEqual([]);
  });
});
