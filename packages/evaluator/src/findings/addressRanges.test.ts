import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { buildCluster } from '../cluster.ts';
import { intervalsToCidrs } from './addressRanges.ts';
import { findings } from './findings.ts';
import type { ClusterNetworks, Finding } from './types.ts';

const WEB = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers: [{ name: web, image: nginx }]
`;

function egress(peer: string, ports = ''): string {
  return `${WEB}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-egress, namespace: shop }
spec:
  podSelector:
    matchLabels: { app: web }
  policyTypes: [Egress]
  egress:
    - to:
        - ${peer}
${ports}`;
}

function review(text: string, networks?: ClusterNetworks): Finding[] {
  const parsed = parseManifests([{ path: 'a.yaml', text }]);
  const cluster = buildCluster(parsed.objects);
  return findings(cluster, { objects: parsed.objects, ...(networks ? { networks } : {}) });
}

const of = (list: Finding[], rule: Finding['rule']) => list.filter((f) => f.rule === rule);

describe('address ranges: whole-space blocks', () => {
  const exceptPods = egress('ipBlock: { cidr: 0.0.0.0/0, except: [10.244.0.0/16] }');

  it('reports the node range and the kubelet port that 0.0.0.0/0 minus the pod CIDR still reaches', () => {
    const list = review(exceptPods, { podCidrs: ['10.244.0.0/16'], nodeCidrs: ['10.0.0.0/24'] });
    const [nodes] = of(list, 'ipblock-covers-nodes');
    expect(nodes?.severity).toBe('high');
    expect(nodes?.message).toContain('10.0.0.0/24');
    expect(nodes?.message).toContain('kubelet API (TCP 10250');
    expect(nodes?.fix?.suggestion).toMatchObject({ kind: 'add-ipblock-except', except: ['10.0.0.0/24'] });
    expect(of(list, 'ipblock-reaches-metadata')).toHaveLength(1);
    // The except does not make it deliberate internet egress: the cluster's nodes are still in.
    const [world] = of(list, 'world-cidr');
    expect(world?.severity).toBe('medium');
    expect(world?.message).toContain('node addresses');
    expect(world?.message).toContain('169.254.169.254');
    // The pod range is excepted: no pod finding.
    expect(of(list, 'ipblock-covers-pods')).toEqual([]);
  });

  it('lowers the whole-space severity once the excepts leave out pods, nodes and metadata', () => {
    const text = egress('ipBlock: { cidr: 0.0.0.0/0, except: [10.244.0.0/16, 10.0.0.0/24, 169.254.0.0/16] }');
    const list = review(text, { podCidrs: ['10.244.0.0/16'], nodeCidrs: ['10.0.0.0/24'] });
    expect(of(list, 'world-cidr')[0]?.severity).toBe('low');
    expect(of(list, 'world-cidr')[0]?.message).toContain('leave out the known pod and node addresses');
    expect(of(list, 'ipblock-covers-nodes')).toEqual([]);
    expect(of(list, 'ipblock-reaches-metadata')).toEqual([]);
  });

  it('reports pods a whole-space block misses in its excepts, from the configured pod CIDR alone', () => {
    const text = egress(
      'ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/16] }',
      '      ports: [{ port: 443 }]\n',
    );
    const [pods] = of(review(text, { podCidrs: ['10.0.0.0/15'] }), 'ipblock-covers-pods');
    expect(pods?.message).toContain('10.1.0.0/16 of the pod range 10.0.0.0/15');
    expect(pods?.fix?.suggestion).toMatchObject({ except: ['10.1.0.0/16'] });
  });

  it('fixes a whole-space block by leaving out the private, link-local and configured ranges', () => {
    const list = review(exceptPods, { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['100.64.0.0/16'] });
    expect(of(list, 'world-cidr')[0]?.fix?.suggestion).toEqual({
      kind: 'add-ipblock-except',
      policy: 'shop/web-egress',
      direction: 'Egress',
      rule: 0,
      peer: 0,
      // The written except stays; a configured range already written is not added twice.
      except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/16'],
    });
    const v6 = review(egress('ipBlock: { cidr: ::/0 }'));
    expect(of(v6, 'world-cidr')[0]?.fix?.suggestion).toMatchObject({ except: ['fc00::/7', 'fe80::/10'] });
  });

  it('does not check pods on a whole-space block without excepts (the world-cidr finding says it all)', () => {
    const list = review(egress('ipBlock: { cidr: 0.0.0.0/0 }'), { podCidrs: ['10.244.0.0/16'] });
    expect(of(list, 'ipblock-covers-pods')).toEqual([]);
    expect(of(list, 'world-cidr')[0]?.message).toContain('pod addresses');
  });

  it('uses the addresses of Node objects when no range is configured', () => {
    const node = `---
apiVersion: v1
kind: Node
metadata: { name: n1 }
status:
  addresses: [{ type: InternalIP, address: 192.168.5.7 }, { type: Hostname, address: n1 }]
`;
    const text = `${egress('ipBlock: { cidr: 192.168.0.0/16 }', '      ports: [{ port: 22 }]\n')}${node}`;
    const [nodes] = of(review(text), 'ipblock-covers-nodes');
    expect(nodes?.severity).toBe('medium');
    expect(nodes?.title).toContain('a node address');
    expect(nodes?.fix?.suggestion).toMatchObject({ except: ['192.168.5.7/32'] });
  });

  it('leaves a block written inside the node range alone: it targets nodes on purpose', () => {
    const list = review(egress('ipBlock: { cidr: 10.0.0.5/32 }'), { nodeCidrs: ['10.0.0.0/24'] });
    expect(of(list, 'ipblock-covers-nodes')).toEqual([]);
  });

  it('rates ingress from the node range medium: the kubelet port is about egress', () => {
    const text = `${WEB}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-ingress, namespace: shop }
spec:
  podSelector:
    matchLabels: { app: web }
  ingress:
    - from:
        - ipBlock: { cidr: 0.0.0.0/0, except: [10.244.0.0/16] }
`;
    const list = review(text, { podCidrs: ['10.244.0.0/16'], nodeCidrs: ['10.0.0.0/24'] });
    expect(of(list, 'ipblock-covers-nodes')[0]?.severity).toBe('medium');
    expect(of(list, 'ipblock-reaches-metadata')).toEqual([]);
  });
});

describe('address ranges: ranges policies never see', () => {
  it('reports an ipBlock inside the configured Service range', () => {
    const list = review(egress('ipBlock: { cidr: 10.96.0.10/32 }'), { serviceCidrs: ['10.96.0.0/12'] });
    const [hit] = of(list, 'ipblock-unseen-range');
    expect(hit?.message).toContain('Service range 10.96.0.0/12');
    expect(hit?.severity).toBe('medium');
    expect(of(list, 'ipblock-covers-nodes')).toEqual([]);
  });

  it('says nothing of the same block without a Service range', () => {
    expect(of(review(egress('ipBlock: { cidr: 10.96.0.10/32 }')), 'ipblock-unseen-range')).toEqual([]);
  });

  it('ignores settings that are not IPv4 CIDRs', () => {
    const list = review(egress('ipBlock: { cidr: 10.96.0.10/32 }'), { serviceCidrs: ['nope', 'fd00::/8'] });
    expect(of(list, 'ipblock-unseen-range')).toEqual([]);
  });
});

describe('intervalsToCidrs', () => {
  it.each([
    [[0, 0xffffffff], ['0.0.0.0/0']],
    [[0x0a000000, 0x0a0000ff], ['10.0.0.0/24']],
    [
      [0x0a000001, 0x0a000006],
      ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32'],
    ],
    [[0xa9fea9fe, 0xa9fea9fe], ['169.254.169.254/32']],
  ])('%j', (set, cidrs) => {
    expect(intervalsToCidrs(set)).toEqual(cidrs);
  });
});
