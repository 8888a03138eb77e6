import { describe, expect, it } from 'vitest';
import type { GraphModel, GraphNode } from '../model/index.ts';
import { draftRangeId } from '../model/index.ts';
import { graphNode } from '../model/nodes.test-helper.ts';
import { checkRange, endpointsOf, withDraftRanges } from './endpoints.ts';

function node(id: string, type: GraphNode['type'], label: string): GraphNode {
  return graphNode(id, { type, label });
}

const model: GraphModel = {
  nodes: [
    node('shop/api[Deployment]', 'workload', 'api'),
    node('10.0.0.0-10.255.255.255[External]', 'external', '10.0.0.0/8'),
    node('0.0.0.0-9.255.255.255[External]', 'external', '0.0.0.0/5'),
    node('11.0.0.0-11.0.0.5[External]', 'external', '11.0.0.0-11.0.0.5'),
  ],
  edges: [],
  namespaces: [{ name: 'shop', labels: {}, declared: true, workloads: 1 }],
  policies: [],
};

describe('checkRange', () => {
  it.each([
    { cidr: '10.0.0.0/8', except: [], want: { id: 'range:10.0.0.0/8', cidr: '10.0.0.0/8', except: [] } },
    {
      cidr: ' 10.0.0.0/8 ',
      except: ['10.1.0.0/16', ''],
      want: { id: 'range:10.0.0.0/8 except 10.1.0.0/16', cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] },
    },
  ])('accepts $cidr', ({ cidr, except, want }) => {
    expect(checkRange(cidr, except)).toEqual({ range: want });
  });

  it.each([
    { cidr: '10.0.0/8', except: [], error: 'is not a CIDR block' },
    { cidr: '2001:db8::/32', except: [], error: 'only IPv4' },
    { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'], error: 'strictly inside' },
    { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'], error: 'strictly inside' },
  ])('refuses $cidr except $except', ({ cidr, except, error }) => {
    const result = checkRange(cidr, except);
    expect('error' in result && result.error).toContain(error);
  });
});

describe('endpoints', () => {
  it('lists workloads, namespaces and single-block ranges, drafts that are not analysed yet', () => {
    const drafts = [
      { id: draftRangeId('10.0.0.0/8', []), cidr: '10.0.0.0/8', except: [] },
      { id: draftRangeId('192.168.0.0/16', []), cidr: '192.168.0.0/16', except: [] },
    ];
    expect(endpointsOf(model, drafts).map((e) => [e.id, e.ref])).toEqual([
      ['shop/api[Deployment]', { kind: 'workload', id: 'shop/api[Deployment]' }],
      ['ns:shop', { kind: 'namespace', name: 'shop' }],
      ['10.0.0.0-10.255.255.255[External]', { kind: 'cidr', cidr: '10.0.0.0/8' }],
      ['0.0.0.0-9.255.255.255[External]', { kind: 'cidr', cidr: '0.0.0.0/5' }],
      ['range:192.168.0.0/16', { kind: 'cidr', cidr: '192.168.0.0/16' }],
    ]);
  });

  it('adds drafted ranges to the graph as external nodes', () => {
    const graph = withDraftRanges({ groups: [], nodes: [], edges: [] }, model, [
      {
        id: draftRangeId('172.16.0.0/12', ['172.16.0.0/16']),
        cidr: '172.16.0.0/12',
        except: ['172.16.0.0/16'],
      },
    ]);
    expect(graph.nodes.map((n) => [n.id, n.type, n.label])).toEqual([
      ['range:172.16.0.0/12 except 172.16.0.0/16', 'external', '172.16.0.0/12 (−1)'],
    ]);
  });

  it('leaves the graph as it is without drafts, reading no node of the model', () => {
    let reads = 0;
    const counted = new Proxy(model, {
      get(target, key, receiver) {
        if (key === 'nodes') reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const grouped = { groups: [], nodes: [], edges: [] };
    expect(withDraftRanges(grouped, counted, [])).toBe(grouped);
    expect(reads).toBe(0);
  });

  it('collects the analysed ranges of a model once, however often drafts are asked for', () => {
    let reads = 0;
    const counted = new Proxy(model, {
      get(target, key, receiver) {
        if (key === 'nodes') reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const drafts = [
      { id: draftRangeId('10.0.0.0/8', []), cidr: '10.0.0.0/8', except: [] },
      { id: draftRangeId('192.168.0.0/16', []), cidr: '192.168.0.0/16', except: [] },
    ];
    const grouped = { groups: [], nodes: [], edges: [] };
    for (let i = 0; i < 3; i++) {
      expect(withDraftRanges(grouped, counted, drafts).nodes.map((n) => n.id)).toEqual([
        'range:192.168.0.0/16',
      ]);
    }
    expect(reads).toBe(1);
  });
});
