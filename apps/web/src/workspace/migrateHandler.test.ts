import { describe, expect, it } from 'vitest';
import { createHandler } from './handler.ts';

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: front, labels: {app: web}}
spec: {containers: [{name: c}]}
`;

const ANP = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: shop-guard}
spec:
  priority: 5
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress:
  - {name: web, action: Allow, from: [{namespaces: {}}], ports: [{namedPort: http}]}
  - {name: rest, action: Deny, from: [{namespaces: {}}]}
`;

const files = [
  { path: 'pods.yaml', text: PODS },
  { path: 'anp.yaml', text: ANP },
];
const documents = files.map((f) => ({ id: f.path, ...f }));

describe('the worker’s migrate request', () => {
  it('converts the compiled documents and proves the result, leaving the compiled workspace as it is', async () => {
    const handle = createHandler();
    const analyzed = await handle({
      type: 'analyze',
      generation: 1,
      files: documents,
      options: { cni: 'upstream' },
    });
    const reply = await handle({ type: 'migrate', generation: 1, files, cluster: { cni: 'upstream' } });
    if (reply.type !== 'migrate') throw new Error(`unexpected reply ${reply.type}`);
    const { preview } = reply;
    expect(preview.converted.map((c) => `${c.from.kind}/${c.from.name} -> ${c.to.tier}`)).toEqual([
      'AdminNetworkPolicy/shop-guard -> Admin',
    ]);
    expect(preview.edits.map((e) => e.path)).toEqual(['anp.yaml']);
    expect(preview.edits[0]!.after).toContain('kind: ClusterNetworkPolicy');
    expect(preview.equivalence).toMatchObject({ proven: true, differences: [] });
    // The graph's workspace still holds the original documents.
    const again = await handle({
      type: 'analyze',
      generation: 2,
      files: documents,
      options: { cni: 'upstream' },
    });
    if (analyzed.type !== 'analyze' || again.type !== 'analyze') throw new Error('analysis failed');
    expect(again.model).toEqual(analyzed.model);
  });

  it('converts the files of the request when they are not the compiled ones', async () => {
    const handle = createHandler();
    await handle({ type: 'analyze', generation: 1, files: [documents[0]!], options: { cni: 'upstream' } });
    const reply = await handle({ type: 'migrate', generation: 1, files, cluster: { cni: 'upstream' } });
    if (reply.type !== 'migrate') throw new Error(`unexpected reply ${reply.type}`);
    expect(reply.preview.converted).toHaveLength(1);
    expect(reply.preview.equivalence.proven).toBe(true);
  });
});
