import type { Peer } from '@netpol-atlas/evaluator';
import { describe, expect, it } from 'vitest';
import { type Focus, pairInFocus } from './report.ts';

function workload(namespace: string, name: string): Peer {
  return {
    type: 'workload',
    index: 0,
    id: `${namespace}/${name}[Pod]`,
    namespace,
    name,
    kind: 'Pod',
    labels: {},
    ports: [],
    pods: [],
    ipv4: [],
    hostNetwork: false,
  };
}

const [foo, bar, baz, mon] = [
  workload('foo', 'myfoo'),
  workload('bar', 'mybar'),
  workload('baz', 'mybaz'),
  workload('monitoring', 'mymonitoring'),
];

function focus(workloads: string[], peers: string[] = [], direction?: 'ingress' | 'egress'): Focus {
  return { workloads, peers, direction, conn: undefined };
}

describe('pairInFocus', () => {
  it.each([
    { name: 'no focus keeps every pair', f: focus([]), src: bar, dst: baz, kept: true },
    { name: 'a focus workload as source', f: focus(['myfoo']), src: foo, dst: baz, kept: true },
    { name: 'a focus workload as destination', f: focus(['myfoo']), src: baz, dst: foo, kept: true },
    { name: 'neither end in focus', f: focus(['myfoo']), src: bar, dst: baz, kept: false },
    {
      name: 'egress keeps the focus source only',
      f: focus(['myfoo'], [], 'egress'),
      src: baz,
      dst: foo,
      kept: false,
    },
    {
      name: 'ingress keeps the focus destination only',
      f: focus(['myfoo'], [], 'ingress'),
      src: baz,
      dst: foo,
      kept: true,
    },
    {
      name: 'the other end must be a focus peer',
      f: focus(['myfoo'], ['mymonitoring']),
      src: foo,
      dst: baz,
      kept: false,
    },
    {
      name: 'a focus peer as the other end',
      f: focus(['myfoo'], ['mymonitoring']),
      src: mon,
      dst: foo,
      kept: true,
    },
    // Two focus workloads are not each other's peers unless named as peers.
    {
      name: 'two focus workloads, no peer',
      f: focus(['myfoo', 'mybar'], ['mybaz']),
      src: foo,
      dst: bar,
      kept: false,
    },
    {
      name: 'a focus workload also named as peer',
      f: focus(['myfoo', 'mybar'], ['mybar']),
      src: foo,
      dst: bar,
      kept: true,
    },
    // Under ingress the peer is the source, even when the source is a focus workload too.
    {
      name: 'ingress checks the source against the peers',
      f: focus(['myfoo', 'mybar'], ['myfoo'], 'ingress'),
      src: foo,
      dst: bar,
      kept: true,
    },
    {
      name: 'ingress with a peer that is only the destination',
      f: focus(['myfoo', 'mybar'], ['mybar'], 'ingress'),
      src: foo,
      dst: bar,
      kept: false,
    },
  ])('$name', ({ f, src, dst, kept }) => {
    expect(pairInFocus(src, dst, f)).toBe(kept);
  });
});
