import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { bundleAsYaml, bundlePath, cleanObject, resourceFiles, safeSegment } from './objects.ts';
import { BUILTIN_RESOURCES, OPTIONAL_RESOURCES, pickServed } from './resources.ts';

const deployments = BUILTIN_RESOURCES.find((r) => r.plural === 'deployments')!;
const pods = BUILTIN_RESOURCES.find((r) => r.plural === 'pods')!;
const networkPolicies = BUILTIN_RESOURCES.find((r) => r.plural === 'networkpolicies')!;

const listItem = {
  metadata: {
    name: 'web',
    namespace: 'shop',
    labels: { app: 'web' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{...}', keep: 'me' },
    managedFields: [{ manager: 'kubectl' }],
    selfLink: '/apis/apps/v1/namespaces/shop/deployments/web',
    resourceVersion: '7',
  },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } } } },
};

describe('cleanObject', () => {
  it('sets kind and apiVersion (list items lack them) and drops managedFields and last-applied', () => {
    const clean = cleanObject(listItem, deployments)!;
    expect(clean.apiVersion).toBe('apps/v1');
    expect(clean.kind).toBe('Deployment');
    expect(Object.keys(clean)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(clean.metadata).toEqual({
      name: 'web',
      namespace: 'shop',
      labels: { app: 'web' },
      annotations: { keep: 'me' },
      resourceVersion: '7',
    });
    expect(listItem.metadata.managedFields).toHaveLength(1); // the input is not mutated
  });

  it('rejects things that are not named objects', () => {
    expect(cleanObject(null, pods)).toBeUndefined();
    expect(cleanObject({ metadata: {} }, pods)).toBeUndefined();
    expect(cleanObject([], pods)).toBeUndefined();
  });
});

describe('manifest bundle', () => {
  const objects = [
    cleanObject({ ...listItem, metadata: { ...listItem.metadata, name: 'zeta' } }, deployments)!,
    cleanObject(listItem, deployments)!,
    cleanObject({ ...listItem, metadata: { ...listItem.metadata, namespace: 'ops' } }, deployments)!,
  ];

  it('writes one sorted, deterministic file per namespace and resource', () => {
    const files = resourceFiles('kind-dev', deployments, objects);
    expect(files.map((f) => f.path)).toEqual([
      'kind-dev/ops/deployments.yaml',
      'kind-dev/shop/deployments.yaml',
    ]);
    expect(files[1]!.text.indexOf('name: web')).toBeLessThan(files[1]!.text.indexOf('name: zeta'));
    expect(resourceFiles('kind-dev', deployments, [...objects].reverse())).toEqual(files);
  });

  it('is read back by the manifests parser with no errors', () => {
    const policy = cleanObject(
      {
        metadata: { name: 'deny', namespace: 'shop' },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      },
      networkPolicies,
    )!;
    const files = [
      ...resourceFiles('c', deployments, objects),
      ...resourceFiles('c', networkPolicies, [policy]),
    ];
    const parsed = parseManifests(files);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/ops/web',
      'Deployment/shop/web',
      'Deployment/shop/zeta',
      'NetworkPolicy/shop/deny',
    ]);
    const single = parseAllDocuments(bundleAsYaml(files)).map((d) => d.toJS());
    expect(single).toHaveLength(4);
  });

  it('makes safe paths from any context name, and keeps same-named kinds of other groups apart', () => {
    expect(safeSegment('arn:aws:eks:eu-west-1:1234:cluster/prod')).toBe(
      'arn_aws_eks_eu-west-1_1234_cluster_prod',
    );
    expect(safeSegment('../..')).toBe('__..'); // no separator, never `..` itself
    expect(safeSegment('')).toBe('_');
    const calico = OPTIONAL_RESOURCES.find(
      (r) => r.group === 'projectcalico.org' && r.plural === 'networkpolicies',
    )!;
    expect(bundlePath('c', calico, 'shop')).toBe('c/shop/networkpolicies.projectcalico.org.yaml');
    expect(bundlePath('c', networkPolicies, 'shop')).toBe('c/shop/networkpolicies.yaml');
  });

  it('keeps one Calico API of each kind', () => {
    const calico = OPTIONAL_RESOURCES.filter((r) => r.group.endsWith('projectcalico.org'));
    expect(pickServed(calico).map((r) => `${r.group}/${r.plural}`)).toEqual([
      'projectcalico.org/networkpolicies',
      'projectcalico.org/globalnetworkpolicies',
    ]);
  });
});
