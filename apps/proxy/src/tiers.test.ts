import { parseManifests } from '@netpol-atlas/manifests';
import { afterEach, describe, expect, it } from 'vitest';
import { allText, EventStream, type Rig, startRig, until } from './testing/harness.ts';
import type { StubApiServer } from './testing/stubApiServer.ts';

// Cluster-wide policy tiers and Nodes in live mode: read where installed, "not installed" (not
// an error) where not, and turned into manifest files like every other kind.

const WAIT_MS = 10_000;
const TIER_CRDS = [
  'clusternetworkpolicies.policy.networking.k8s.io',
  'adminnetworkpolicies.policy.networking.k8s.io',
  'baselineadminnetworkpolicies.policy.networking.k8s.io',
];
const TIER_KINDS = [
  'AdminNetworkPolicy.policy.networking.k8s.io',
  'BaselineAdminNetworkPolicy.policy.networking.k8s.io',
  'ClusterNetworkPolicy.policy.networking.k8s.io',
];

let rig: Rig | undefined;
let stream: EventStream | undefined;

afterEach(async () => {
  stream?.close();
  stream = undefined;
  await rig?.close();
  rig = undefined;
});

const cnp = (name: string, priority: number) => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name },
  spec: {
    tier: 'Admin',
    priority,
    subject: { namespaces: {} },
    ingress: [
      {
        name: 'deny-ops',
        action: 'Deny',
        from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }],
      },
    ],
  },
});

function node(name: string, ip: string, heartbeat = '2026-06-01T08:00:00Z') {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: { podCIDR: '10.244.0.0/24' },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat }],
      images: [{ names: ['registry.example/big-image:1'], sizeBytes: 123456789 }],
    },
  };
}

function seedTiers(stub: StubApiServer): void {
  for (const crd of TIER_CRDS) stub.installCrd(crd);
  stub.upsert(cnp('platform-deny', 10));
  stub.upsert({
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name: 'legacy-admin' },
    spec: {
      priority: 20,
      subject: { namespaces: {} },
      ingress: [{ name: 'pass', action: 'Pass', from: [{ namespaces: {} }] }],
    },
  });
  stub.upsert({
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec: {
      subject: { namespaces: {} },
      ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }],
    },
  });
  stub.upsert(node('node-a', '192.168.0.10'));
}

async function liveRig(before: (stub: StubApiServer) => void) {
  rig = await startRig();
  before(rig.stub);
  stream = await EventStream.open(rig.proxy);
  const first = await stream.waitForSnapshot((m) => m.sync.state === 'live', WAIT_MS);
  return { rig, stream, first };
}

describe('cluster-wide tiers and nodes in live mode', () => {
  it('lists and watches the three tier kinds and Nodes, as manifest files the app parses', async () => {
    const { rig, first, stream } = await liveRig(seedTiers);
    const paths = first.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'stub/cluster/clusternetworkpolicies.policy.networking.k8s.io.yaml',
        'stub/cluster/adminnetworkpolicies.policy.networking.k8s.io.yaml',
        'stub/cluster/baselineadminnetworkpolicies.policy.networking.k8s.io.yaml',
        'stub/cluster/nodes.yaml',
      ]),
    );
    expect(first.sync.extraKinds).toEqual(expect.arrayContaining(TIER_KINDS));
    expect(first.sync.notInstalled.filter((k) => TIER_KINDS.includes(k))).toEqual([]);
    const parsed = parseManifests(first.files);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const kinds = parsed.objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ClusterNetworkPolicy/platform-deny',
        'AdminNetworkPolicy/legacy-admin',
        'BaselineAdminNetworkPolicy/default',
        'Node/node-a',
      ]),
    );
    const nodeObject = parsed.objects.find((o) => o.kind === 'Node');
    expect(nodeObject && 'addresses' in nodeObject ? nodeObject.addresses : []).toEqual(['192.168.0.10']);
    // A node's images and heartbeats are not part of the snapshot.
    const nodes = first.files.find((f) => f.path === 'stub/cluster/nodes.yaml')!.text;
    expect(nodes).not.toMatch(/images|lastHeartbeatTime|managedFields/);
    // Watched: a new cluster policy shows up without a relist.
    await until(() => rig.stub.watchCount('clusternetworkpolicies') === 1, WAIT_MS, 'the CNP watch');
    rig.stub.upsert(cnp('added-later', 5));
    await stream.waitForSnapshot((m) => allText(m).includes('name: added-later'), WAIT_MS);
    const lists = rig.stub.requests.filter(
      (r) => r.path.endsWith('/clusternetworkpolicies') && r.query.watch === undefined,
    );
    expect(lists).toHaveLength(1);
  });

  it('reports CRDs that are not installed as such: live, no error, the rest streams', async () => {
    const { rig, first, stream } = await liveRig(() => {});
    expect(first.sync.state).toBe('live');
    expect(first.sync.error).toBeNull();
    expect(first.sync.notInstalled).toEqual(expect.arrayContaining(TIER_KINDS));
    expect(first.sync.extraKinds).toEqual([]);
    // Never asked for: discovery said the group is not served.
    expect(rig.stub.requests.some((r) => r.path.includes('/policy.networking.k8s.io/v1alpha2/'))).toBe(false);
    rig.stub.upsert({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'still-streaming', namespace: 'shop' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    await stream.waitForSnapshot((m) => allText(m).includes('still-streaming'), WAIT_MS);
  });

  it('a CRD deleted while watched answers 404: "not installed", its objects gone, the rest live', async () => {
    const { rig, stream } = await liveRig(seedTiers);
    await until(() => rig.stub.watchCount('clusternetworkpolicies') === 1, WAIT_MS, 'the CNP watch');
    const from = stream.messages.length;
    rig.stub.uninstallCrd('clusternetworkpolicies.policy.networking.k8s.io');
    const gone = await stream.waitForSnapshot(
      (m) => !allText(m).includes('platform-deny') && m.sync.notInstalled.includes(TIER_KINDS[2]!),
      WAIT_MS,
      from,
    );
    expect(gone.sync.state).toBe('live');
    expect(gone.sync.error).toBeNull();
    expect(gone.sync.missingPermissions).toEqual([]);
    const unit = gone.sync.resources.find((r) => r.resource.endsWith('/clusternetworkpolicies'));
    expect(unit).toMatchObject({ phase: 'not-installed', error: null, objects: 0 });
    // The other tiers and kinds keep streaming.
    expect(allText(gone)).toContain('name: legacy-admin');
    rig.stub.upsert(node('node-b', '192.168.0.11'));
    const later = await stream.waitForSnapshot((m) => allText(m).includes('name: node-b'), WAIT_MS);
    expect(later.sync.state).toBe('live');
  });

  it('a Node heartbeat does not make a new snapshot; a label change does', async () => {
    const { rig, stream } = await liveRig(seedTiers);
    await until(() => rig.stub.watchCount('nodes') === 1, WAIT_MS, 'the nodes watch');
    const before = stream.messages.filter((m) => m.event === 'snapshot').at(-1)!.data.revision;
    // Same watch, so these arrive in this order: the heartbeat first.
    rig.stub.upsert(node('node-a', '192.168.0.10', '2026-06-01T08:05:00Z'));
    rig.stub.upsert({
      ...node('node-a', '192.168.0.10'),
      metadata: { name: 'node-a', labels: { zone: 'b' } },
    });
    const changed = await stream.waitForSnapshot((m) => allText(m).includes('zone: b'), WAIT_MS);
    expect(changed.revision).toBe(before + 1);
  });

  it('a user who may not read nodes still gets a live view, with the missing right named', async () => {
    rig = await startRig();
    seedTiers(rig.stub);
    rig.stub.faults.forbidden = new Set(['list:nodes', 'watch:nodes']);
    stream = await EventStream.open(rig.proxy);
    const m = await stream.waitFor(
      (x) => x.data.sync.state === 'live' && x.data.sync.missingPermissions.length === 2,
      WAIT_MS,
    );
    expect(m.data.sync.missingPermissions.map((p) => `${p.verb} ${p.resource}`).sort()).toEqual([
      'list nodes',
      'watch nodes',
    ]);
    expect(m.data.sync.error).toMatch(/not allowed to read nodes/);
  });
});

describe('faults on the tier resources', () => {
  it('a cut watch resumes and a compacted one relists, without losing a cluster policy', async () => {
    const { rig, stream } = await liveRig(seedTiers);
    await until(() => rig.stub.watchCount('adminnetworkpolicies') === 1, WAIT_MS, 'the ANP watch');
    rig.stub.disconnectWatches();
    rig.stub.upsert(cnp('during-cut', 30));
    rig.stub.compact();
    const s = await stream.waitForSnapshot((m) => allText(m).includes('name: during-cut'), WAIT_MS);
    await stream.waitForState(
      'live',
      WAIT_MS,
      stream.messages.findIndex((m) => m.data === s),
    );
    const relists = rig.stub.requests.filter(
      (r) => r.path.endsWith('/clusternetworkpolicies') && r.query.watch === undefined,
    );
    expect(relists.length).toBeGreaterThanOrEqual(2);
  });

  it('names the missing right when cluster policies may not be listed', async () => {
    rig = await startRig();
    seedTiers(rig.stub);
    rig.stub.faults.forbidden = new Set(['list:clusternetworkpolicies']);
    stream = await EventStream.open(rig.proxy);
    const m = await stream.waitFor(
      (x) => x.data.sync.missingPermissions.some((p) => p.resource === 'clusternetworkpolicies'),
      WAIT_MS,
    );
    expect(m.data.sync.missingPermissions).toContainEqual({
      verb: 'list',
      group: 'policy.networking.k8s.io',
      resource: 'clusternetworkpolicies',
      namespace: null,
    });
    expect(m.data.sync.error).toMatch(
      /not allowed to read clusternetworkpolicies\.policy\.networking\.k8s\.io/,
    );
  });
});
