import type { SnapshotMessage } from '@netpol-atlas/live-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProxyOptions } from './server.ts';
import { allText, EventStream, FAST, type Rig, startRig, until } from './testing/harness.ts';
import type { StubApiServer } from './testing/stubApiServer.ts';

// Bounds for waits on state: only reached when the awaited state never comes, so they can be
// generous enough for a busy CI machine.
const WAIT_MS = 10_000;

let rig: Rig | undefined;
let stream: EventStream | undefined;

afterEach(async () => {
  stream?.close();
  stream = undefined;
  await rig?.close();
  rig = undefined;
});

/** Starts the rig, opens the stream and waits for the first live snapshot. */
async function live(
  overrides: Partial<ProxyOptions> = {},
  before?: (stub: StubApiServer) => void,
): Promise<{ rig: Rig; stream: EventStream; first: SnapshotMessage }> {
  rig = await startRig(overrides);
  before?.(rig.stub);
  stream = await EventStream.open(rig.proxy);
  const first = await stream.waitForSnapshot((s) => s.sync.state === 'live');
  return { rig, stream, first };
}

function pod(namespace: string, name: string, labels: Record<string, string> = { app: name }) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'x' }] },
    status: { phase: 'Running', podIP: '10.0.0.1' },
  };
}

function watchRequests(stub: StubApiServer, plural: string) {
  return stub.requests.filter((r) => r.path.endsWith(`/${plural}`) && r.query.watch === '1');
}

function listRequests(stub: StubApiServer, plural: string) {
  return stub.requests.filter((r) => r.path.endsWith(`/${plural}`) && r.query.watch === undefined);
}

describe('list and watch', () => {
  it('lists page by page (limit + continue), then watches from the list resourceVersion with bookmarks', async () => {
    const { rig, first } = await live({ syncLimits: { pageSize: 2 } }, (stub) => {
      for (let i = 0; i < 7; i++) stub.upsert(pod('shop', `p${i}`));
    });
    // The first four requests are one paginated list (a loaded machine may add a retry after).
    const lists = listRequests(rig.stub, 'pods').slice(0, 4);
    expect(lists.map((r) => r.query.limit)).toEqual(['2', '2', '2', '2']);
    expect(lists.map((r) => r.query.continue === undefined)).toEqual([true, false, false, false]);
    const pods = first.files.find((f) => f.path === 'stub/shop/pods.yaml')!;
    expect(pods.text.match(/^kind: Pod$/gm)?.length).toBe(7);
    // Live as soon as every list is complete; the watches open right after.
    await until(() => watchRequests(rig.stub, 'pods').length > 0, WAIT_MS, 'pods watch');
    const watch = watchRequests(rig.stub, 'pods')[0]!;
    expect(watch.query).toMatchObject({ allowWatchBookmarks: 'true', watch: '1' });
    expect(Number(watch.query.resourceVersion)).toBeGreaterThanOrEqual(107);
  });

  it('applies ADDED, MODIFIED and DELETED events to the snapshot', async () => {
    const { rig, stream } = await live();
    await until(() => rig.stub.watchCount('deployments') === 1, WAIT_MS, 'deployments watch');
    rig.stub.upsert(pod('shop', 'probe'));
    let s = await stream.waitForSnapshot((m) => allText(m).includes('name: probe'));
    expect(s.sync.state).toBe('live');
    rig.stub.upsert(pod('shop', 'probe', { app: 'probe', tier: 'gold' }));
    s = await stream.waitForSnapshot((m) => allText(m).includes('tier: gold'));
    const from = stream.messages.length;
    rig.stub.remove('v1', 'Pod', 'shop', 'probe');
    s = await stream.waitForSnapshot((m) => !allText(m).includes('name: probe'), WAIT_MS, from);
    expect(s.revision).toBeGreaterThan(0);
    expect(s.sync.state).toBe('live');
  });

  it('resumes from the last bookmark when the server ends a watch, without relisting or going stale', async () => {
    // A grace period no scheduler delay reaches: going stale here would be a wrong decision,
    // not a slow machine.
    const { rig, stream } = await live({ timings: { ...FAST.timings, staleGraceMs: 60_000 } });
    await until(() => rig.stub.watchCount('pods') === 1, WAIT_MS, 'pods watch');
    // Events of other kinds move the resourceVersion on; the bookmark tells the pods watch.
    rig.stub.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'extra', namespace: 'shop' },
      spec: {},
    });
    rig.stub.bookmark();
    const bookmarkRv = rig.stub.resourceVersion;
    // A watch the server ends right after it opened is suspicious (backoff); after its
    // timeoutSeconds it is routine. Let these run past that threshold (1 s): a longer wait on a
    // busy machine changes nothing.
    await new Promise((r) => setTimeout(r, 1100));
    const from = stream.messages.length;
    rig.stub.endWatches();
    await until(() => watchRequests(rig.stub, 'pods').length === 2, WAIT_MS, 'a second pods watch');
    expect(watchRequests(rig.stub, 'pods')[1]!.query.resourceVersion).toBe(bookmarkRv);
    // Something that happens after the resumed watch opened, seen through the stream: every
    // state the proxy reported in between has arrived by then.
    rig.stub.upsert(pod('shop', 'after-resume'));
    await stream.waitForSnapshot((m) => allText(m).includes('after-resume'), WAIT_MS);
    expect(listRequests(rig.stub, 'pods').length).toBe(1);
    expect(stream.messages.slice(from).map((m) => m.data.sync.state)).not.toContain('stale');
  });
});

describe('410 Gone', () => {
  it('relists when the watch gets an ERROR event with a 410 Status, and catches up', async () => {
    const { rig, stream } = await live();
    await until(() => rig.stub.watchCount('pods') === 1, WAIT_MS, 'pods watch');
    rig.stub.disconnectWatches();
    // While the proxy is away, history is compacted: resuming from its resourceVersion must fail.
    rig.stub.upsert(pod('shop', 'born-during-gap'));
    rig.stub.compact();
    await stream.waitForSnapshot((m) => allText(m).includes('born-during-gap'));
    await stream.waitForState('live', WAIT_MS, stream.messages.length - 1);
    expect(listRequests(rig.stub, 'pods').length).toBeGreaterThanOrEqual(2);
  });

  it('relists on ERROR 410 sent at once, and on a plain HTTP 410', async () => {
    const { rig, stream } = await live();
    await until(() => rig.stub.watchCount() === 11, WAIT_MS, 'all watches');
    const lists = () => rig.stub.requests.filter((r) => r.query.limit !== undefined).length;
    const before = lists();
    rig.stub.faults.goneWatches = 1;
    rig.stub.faults.goneWatchesHttp = 1;
    rig.stub.upsert(pod('shop', 'after-gone'));
    rig.stub.disconnectWatches();
    await stream.waitForSnapshot((m) => allText(m).includes('after-gone'));
    await stream.waitForState('live', WAIT_MS, stream.messages.length - 1);
    // Exactly the two watches that were told 410 relisted; the others resumed.
    await until(() => lists() === before + 2, WAIT_MS, 'two relists');
    expect(rig.stub.faults.goneWatches + rig.stub.faults.goneWatchesHttp).toBe(0);
  });

  it('restarts a paginated list whose continue token expired', async () => {
    rig = await startRig({ syncLimits: { pageSize: 1 } });
    rig.stub.faults.goneContinue = 2;
    stream = await EventStream.open(rig.proxy);
    const s = await stream.waitForSnapshot((m) => m.sync.state === 'live');
    expect(allText(s)).toContain('name: monitor');
    expect(rig.stub.faults.goneContinue).toBe(0);
  });
});

describe('disconnects and outages', () => {
  it('reconnects a watch cut mid-stream, with no relist and no lost events', async () => {
    const { rig, stream } = await live();
    await until(() => rig.stub.watchCount('deployments') === 1, WAIT_MS, 'deployments watch');
    const lists = listRequests(rig.stub, 'deployments').length;
    rig.stub.disconnectWatches();
    rig.stub.upsert({
      ...pod('shop', 'x'),
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'during-cut', namespace: 'shop' },
    });
    await stream.waitForSnapshot((m) => allText(m).includes('during-cut'));
    expect(listRequests(rig.stub, 'deployments').length).toBe(lists);
    await stream.waitForState('live', WAIT_MS, stream.messages.length - 1);
  });

  it('keeps the last good snapshot and says stale while the API server is down, then recovers', async () => {
    const { rig, stream, first } = await live();
    await until(() => rig.stub.watchCount() === 11, WAIT_MS, 'all watches');
    const stoppedAt = Date.now();
    await rig.stub.stop();
    const staleAt = stream.messages.length;
    const stale = await stream.waitForState('stale', WAIT_MS);
    expect(stale.data.sync.error).toMatch(/cannot reach the API server|connection closed/);
    // The time of the last sync is frozen at the outage, not moved on by heartbeats.
    const lastSync = Date.parse(stale.data.sync.lastSync!);
    expect(lastSync).toBeLessThanOrEqual(stoppedAt + 200);
    const reported = () => stream.messages.slice(staleAt).filter((m) => m.data.sync.state !== 'connecting');
    const staleIndex = () => reported().findIndex((m) => m.data.sync.state === 'stale');
    // Two heartbeats after going stale: what the proxy says while the server stays down.
    await until(() => reported().length - staleIndex() >= 3, WAIT_MS, 'heartbeats while down');
    const after = reported();
    const firstStale = staleIndex();
    // Never stale data as fresh: once stale, nothing says live again while the server is down.
    expect(after.slice(firstStale).map((m) => m.data.sync.state)).not.toContain('live');
    expect(after.slice(firstStale).every((m) => m.data.sync.lastSync === stale.data.sync.lastSync)).toBe(
      true,
    );
    // The objects are still served.
    const snapshot = after.filter((m) => m.event === 'snapshot').at(-1)?.data as SnapshotMessage | undefined;
    if (snapshot) expect(snapshot.files).toEqual(first.files);
    // Heartbeats keep coming, each with the state.
    expect(after.length).toBeGreaterThanOrEqual(2);

    rig.stub.upsert(pod('shop', 'while-down'));
    await rig.stub.resume();
    const caughtUp = await stream.waitForSnapshot((m) => allText(m).includes('while-down'), WAIT_MS);
    const back = await stream.waitForState(
      'live',
      5000,
      stream.messages.findIndex((m) => m.data === caughtUp),
    );
    expect(Date.parse(back.data.sync.lastSync!)).toBeGreaterThan(lastSync);
  });

  it('reports an error (not stale) when the API server is down from the start, and connects when it comes up', async () => {
    rig = await startRig();
    await rig.stub.stop();
    stream = await EventStream.open(rig.proxy);
    const error = await stream.waitForState('error');
    expect(error.data.sync.error).toContain('cannot reach the API server');
    expect(error.data.sync.lastSync).toBeNull();
    await rig.stub.resume();
    const ok = await stream.waitForSnapshot((m) => m.sync.state === 'live', WAIT_MS);
    expect(allText(ok)).toContain('name: web');
  });

  it('times out slow answers and recovers when they speed up', async () => {
    rig = await startRig();
    rig.stub.faults.slowMs = 2500; // more than requestTimeoutMs (1500)
    stream = await EventStream.open(rig.proxy);
    const slow = await stream.waitForState('error', WAIT_MS);
    expect(slow.data.sync.error).toContain('did not answer in time');
    rig.stub.faults.slowMs = 0;
    await stream.waitForSnapshot((m) => m.sync.state === 'live', WAIT_MS);
  });

  it('goes stale when watches hang after a drop, and live again when they open', async () => {
    const { rig, stream } = await live();
    await until(() => rig.stub.watchCount() === 11, WAIT_MS, 'all watches');
    rig.stub.faults.hangWatches = true;
    rig.stub.disconnectWatches();
    const stale = await stream.waitFor(
      (m) => m.data.sync.state === 'stale' && (m.data.sync.error ?? '').includes('did not answer in time'),
      4000,
    );
    rig.stub.faults.hangWatches = false;
    await stream.waitForState('live', WAIT_MS, stream.messages.indexOf(stale));
  });

  it('treats a watch that goes silent for too long as dead and reconnects it', async () => {
    const { rig } = await live({ clientLimits: { ...FAST.clientLimits!, watchIdleMs: 300 } as never });
    await until(() => watchRequests(rig.stub, 'pods').length >= 3, WAIT_MS, 'idle watches to be replaced');
  });
});

describe('401 and 403', () => {
  it('says the credentials were rejected (401), never echoing them, and recovers once accepted', async () => {
    rig = await startRig();
    rig.stub.faults.unauthorized = true;
    stream = await EventStream.open(rig.proxy);
    const error = await stream.waitForState('error');
    expect(error.data.sync.error).toContain('401');
    expect(stream.raw).not.toContain(rig.stub.token);
    rig.stub.faults.unauthorized = false;
    await stream.waitForSnapshot((m) => m.sync.state === 'live', WAIT_MS);
  });

  it('names the missing verbs and resources (SelfSubjectAccessReview) on 403', async () => {
    rig = await startRig();
    rig.stub.faults.forbidden = new Set(['list:networkpolicies', 'watch:networkpolicies', 'watch:pods']);
    stream = await EventStream.open(rig.proxy);
    const m = await stream.waitFor(
      (x) => x.data.sync.state === 'error' && x.data.sync.missingPermissions.length >= 3,
      5000,
    );
    const missing = m.data.sync.missingPermissions
      .map((p) => `${p.verb} ${p.group}/${p.resource} ${p.namespace ?? '*'}`)
      .sort();
    expect(missing).toEqual([
      'list networking.k8s.io/networkpolicies *',
      'watch /pods *',
      'watch networking.k8s.io/networkpolicies *',
    ]);
    expect(m.data.sync.error).toMatch(/not allowed to read/);
    const reviews = rig.stub.requests.filter((r) => r.method === 'POST');
    expect(reviews.length).toBeGreaterThanOrEqual(4);
    // Granting the rights clears the list.
    rig.stub.faults.forbidden = new Set();
    const ok = await stream.waitFor(
      (x) => x.data.sync.state === 'live' && x.data.sync.missingPermissions.length === 0,
      5000,
    );
    expect(ok.data.sync.error).toBeNull();
  });
});

describe('size limits', () => {
  it('refuses a list larger than the limit with a clear error', async () => {
    rig = await startRig({ syncLimits: { maxListBytes: 3000, pageSize: 2 } });
    for (let i = 0; i < 30; i++) rig.stub.upsert(pod('shop', `big-${i}`));
    stream = await EventStream.open(rig.proxy);
    const m = await stream.waitForState('error');
    expect(m.data.sync.error).toMatch(/the list of pods is larger than 0 MB: narrow it with --namespace/);
  });

  it('refuses a snapshot larger than the limit', async () => {
    rig = await startRig({ serverLimits: { maxSnapshotBytes: 500 } });
    stream = await EventStream.open(rig.proxy);
    const m = await stream.waitFor((x) => x.data.sync.error?.includes('snapshot is larger') ?? false);
    expect(m.data.sync.state).toBe('error');
    if (m.event === 'snapshot') expect(m.data.files).toEqual([]);
  });
});

describe('scope', () => {
  it('reads optional policy CRDs only when they are installed, each Calico kind once', async () => {
    rig = await startRig({}, true);
    rig.stub.installCrd('ciliumnetworkpolicies.cilium.io');
    rig.stub.installCrd('adminnetworkpolicies.policy.networking.k8s.io');
    rig.stub.installCrd('networkpolicies.projectcalico.org');
    rig.stub.installCrd('networkpolicies.crd.projectcalico.org');
    rig.stub.upsert({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'l7', namespace: 'shop' },
      spec: { endpointSelector: {} },
    });
    rig.stub.upsert({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'anp' },
      spec: { priority: 10 },
    });
    rig.stub.upsert({
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'calico', namespace: 'shop' },
      spec: { selector: "app == 'api'" },
    });
    stream = await EventStream.open(rig.proxy);
    const s = await stream.waitForSnapshot((m) => m.sync.state === 'live');
    expect(s.sync.extraKinds).toEqual([
      'AdminNetworkPolicy.policy.networking.k8s.io',
      'CiliumNetworkPolicy.cilium.io',
      'NetworkPolicy.projectcalico.org',
    ]);
    const paths = s.files.map((f) => f.path);
    expect(paths).toContain('stub/shop/ciliumnetworkpolicies.cilium.io.yaml');
    expect(paths).toContain('stub/cluster/adminnetworkpolicies.policy.networking.k8s.io.yaml');
    expect(paths).toContain('stub/shop/networkpolicies.projectcalico.org.yaml');
    expect(allText(s)).toContain('apiVersion: projectcalico.org/v3');
    // Served twice (API server and CRD): read once.
    expect(
      listRequests(rig.stub, 'networkpolicies').filter((r) => r.path.includes('projectcalico')).length,
    ).toBe(1);
    expect(rig.stub.requests.some((r) => r.path.includes('/ciliumclusterwidenetworkpolicies'))).toBe(false);
  });

  it('reads only the namespaces of --namespace', async () => {
    rig = await startRig({ namespaces: ['shop'] });
    stream = await EventStream.open(rig.proxy);
    const s = await stream.waitForSnapshot((m) => m.sync.state === 'live');
    expect(allText(s)).not.toContain('namespace: ops');
    expect(allText(s)).toContain('name: shop');
    const collections = rig.stub.requests.filter(
      (r) => r.query.limit !== undefined || r.query.watch !== undefined,
    );
    for (const r of collections) {
      if (r.path === '/api/v1/namespaces') expect(r.query.fieldSelector).toBe('metadata.name=shop');
      // Nodes are cluster-scoped: there is no namespace to narrow them to.
      else if (r.path !== '/api/v1/nodes') expect(r.path).toMatch(/\/namespaces\/shop\//);
    }
  });

  it('still shows a filtered namespace when namespaces may not be listed', async () => {
    rig = await startRig({ namespaces: ['shop'] });
    rig.stub.faults.forbidden = new Set(['list:namespaces']);
    stream = await EventStream.open(rig.proxy);
    const s = await stream.waitForSnapshot((m) => m.sync.state === 'live');
    expect(allText(s)).toContain('name: web');
    // Not essential: the view is live, and the missing right is still named.
    const m = await stream.waitFor((x) => x.data.sync.missingPermissions.length > 0);
    expect(m.data.sync.state).toBe('live');
    expect(m.data.sync.missingPermissions.map((p) => `${p.verb} ${p.resource}`)).toEqual(['list namespaces']);
  });
});

describe('snapshot endpoint', () => {
  it('returns the bundle as JSON and YAML, with the sync state', async () => {
    rig = await startRig();
    const { request } = await import('./testing/harness.ts');
    const json = await request(rig.proxy, '/api/snapshot');
    expect(json.status).toBe(200);
    const body = JSON.parse(json.body) as SnapshotMessage;
    expect(body.sync.state).toBe('live');
    expect(body.files.map((f) => f.path)).toContain('stub/shop/networkpolicies.yaml');
    const yaml = await request(rig.proxy, '/api/snapshot?format=yaml');
    expect(yaml.headers['content-type']).toContain('text/yaml');
    expect(yaml.headers['x-netpol-atlas-sync-state']).toBe('live');
    expect(yaml.body).toContain('# file: stub/shop/networkpolicies.yaml');
    const unknown = await request(rig.proxy, '/api/snapshot?context=nope');
    expect(unknown.status).toBe(404);
  });
});
