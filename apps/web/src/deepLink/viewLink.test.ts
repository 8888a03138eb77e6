import { describe, expect, it } from 'vitest';
// The narrow module: the graph's index pulls the layout engine (elkjs), which this test never runs.
import { NO_FILTERS } from '../graph/filterGraph.ts';
import { asNodeId, edgeId, type NodeId, namespaceId, parsePolicyRef } from '../model/index.ts';
import { decodeShareFragment, encodeShareFragment } from '../workspace/shareLink.ts';
import { DEFAULT_VIEW_LINK, decodeViewLink, encodeViewLink, type ViewLink } from './viewLink.ts';

/** A node id the test knows is one. */
const node = (id: string): NodeId => {
  const parsed = asNodeId(id);
  if (!parsed) throw new Error(`${id} is no node id`);
  return parsed;
};
const FRONTEND = node('frontend/frontend[Deployment]');
const STORE_API = node('store/store-api[Deployment]');
const EDGE = { kind: 'edge' as const, id: edgeId(FRONTEND, STORE_API), source: FRONTEND, target: STORE_API };

const cases: { name: string; link: ViewLink; hash: string }[] = [
  { name: 'the default view', link: DEFAULT_VIEW_LINK, hash: '' },
  {
    name: 'a selected edge',
    link: { ...DEFAULT_VIEW_LINK, selection: EDGE },
    hash: 'from=frontend%2Ffrontend%5BDeployment%5D&to=store%2Fstore-api%5BDeployment%5D',
  },
  {
    name: 'a selected workload',
    link: { ...DEFAULT_VIEW_LINK, selection: { kind: 'node', id: node('default/demo-db[StatefulSet]') } },
    hash: 'node=default%2Fdemo-db%5BStatefulSet%5D',
  },
  {
    name: 'an address range',
    link: { ...DEFAULT_VIEW_LINK, selection: { kind: 'node', id: node('0.0.0.0-9.255.255.255[External]') } },
    hash: 'node=0.0.0.0-9.255.255.255%5BExternal%5D',
  },
  {
    name: 'a collapsed namespace',
    link: { ...DEFAULT_VIEW_LINK, selection: { kind: 'node', id: namespaceId('team-a') } },
    hash: 'node=ns%3Ateam-a',
  },
  {
    name: 'a policy',
    link: { ...DEFAULT_VIEW_LINK, selection: { kind: 'policy', id: parsePolicyRef('default/demo-db')!.id } },
    hash: 'policy=default%2Fdemo-db',
  },
  {
    name: 'every filter',
    link: {
      ...DEFAULT_VIEW_LINK,
      filters: {
        hiddenNamespaces: ['kube-system', 'default'],
        label: 'app in (web, api)',
        protocol: 'UDP',
        port: 53,
        showExternal: false,
        focus: 'store/store-api[Deployment]',
      },
    },
    hash: 'hide=default%2Ckube-system&label=app%20in%20%28web%2C%20api%29&proto=UDP&port=53&external=off&focus=store%2Fstore-api%5BDeployment%5D',
  },
  {
    name: 'panel and main view',
    link: { ...DEFAULT_VIEW_LINK, panel: 'findings', main: 'matrix' },
    hash: 'panel=findings&view=matrix',
  },
];

describe('view links', () => {
  it.each(cases)('encodes $name', ({ link, hash }) => {
    expect(encodeViewLink(link)).toBe(hash);
  });

  it.each(cases.filter((c) => c.hash !== ''))('reads back $name', ({ link, hash }) => {
    const { value, diagnostics } = decodeViewLink(`#${hash}`);
    expect(diagnostics).toEqual([]);
    expect(value).toEqual({
      ...link,
      filters: { ...link.filters, hiddenNamespaces: [...link.filters.hiddenNamespaces].sort() },
    });
  });

  it('leaves the view alone when the hash has none of its parameters', () => {
    expect(decodeViewLink('').value).toBeUndefined();
    expect(decodeViewLink('#').value).toBeUndefined();
    expect(decodeViewLink('#share=abc').value).toBeUndefined();
  });

  it.each([
    ['#proto=ICMP', 'proto', DEFAULT_VIEW_LINK],
    ['#port=0', 'port', DEFAULT_VIEW_LINK],
    ['#port=8080x', 'port', DEFAULT_VIEW_LINK],
    ['#panel=secrets', 'panel', DEFAULT_VIEW_LINK],
    ['#view=3d', 'view', DEFAULT_VIEW_LINK],
    ['#external=maybe', 'external', DEFAULT_VIEW_LINK],
    ['#from=a%2Fb%5BPod%5D&panel=problems', 'to', { ...DEFAULT_VIEW_LINK, panel: 'problems' }],
  ] as const)('reports %s as not understood and keeps the rest', (hash, field, expected) => {
    const { value, diagnostics } = decodeViewLink(hash);
    expect(value).toEqual(expected);
    expect(diagnostics.map((d) => d.field)).toEqual([field]);
    expect(diagnostics[0]!.message).not.toBe('');
  });

  it('accepts a lower-case protocol and a hand-written list of namespaces', () => {
    const { value } = decodeViewLink('#proto=tcp&hide=b,,a,b');
    expect(value?.filters).toEqual({ ...NO_FILTERS, protocol: 'TCP', hiddenNamespaces: ['a', 'b'] });
  });

  it('an edge wins over a node when a hand-edited link names both', () => {
    expect(decodeViewLink('#node=ns%3Ax&from=ns%3Aa&to=ns%3Ab').value?.selection).toEqual({
      kind: 'edge',
      id: 'ns:a->ns:b',
      source: 'ns:a',
      target: 'ns:b',
    });
  });

  it('selects nothing for an id that is not an id of its kind, and says so', () => {
    const { value, diagnostics } = decodeViewLink('#node=x&policy=deny-all&from=a&to=ns%3Ab');
    expect(value?.selection).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.field])).toEqual([
      ['link.bad-value', 'from'],
      ['link.bad-value', 'node'],
      ['link.bad-value', 'policy'],
    ]);
  });

  it('travels beside a share link without disturbing it', () => {
    const shared = encodeShareFragment({ files: [{ path: 'a.yaml', text: 'kind: Pod' }], baseline: [] });
    if (!shared.ok) throw new Error('share failed');
    const hash = encodeViewLink(
      { ...DEFAULT_VIEW_LINK, selection: EDGE, panel: 'findings' },
      new URLSearchParams(shared.fragment),
    );
    expect(hash.startsWith(`${shared.fragment}&`)).toBe(true);
    expect(decodeShareFragment(`#${hash}`)).toEqual({
      ok: true,
      workspace: { files: [{ path: 'a.yaml', text: 'kind: Pod' }], baseline: [] },
    });
    expect(decodeViewLink(`#${hash}`).value).toEqual({
      ...DEFAULT_VIEW_LINK,
      selection: EDGE,
      panel: 'findings',
    });
  });

  it('drops its own stale parameters when re-encoding over an old hash', () => {
    const old = new URLSearchParams('node=x&panel=editor&other=1');
    expect(encodeViewLink(DEFAULT_VIEW_LINK, old)).toBe('other=1');
  });
});
