// Workloads numbered by named-port layout, for the memo's egress views (see analysisMemo.ts).

import type { WorkloadPeer } from './model.ts';
import { NumberTrie } from './sideKeys.ts';

/**
 * Numbers workloads by named-port layout: equal numbers resolve port names alike. A layout is the
 * multiset of its named ports (name, protocol, number), each port interned to a number through
 * nested maps, so no text is built per workload.
 */
export class PortLayouts {
  private readonly ports = new Map<string, Map<string, Map<number, number>>>();
  private portCount = 0;
  private readonly layouts = new NumberTrie<number>();
  private key = new Int32Array(8);
  count = 0;

  /** The layout number of `w`'s named ports, numbered in order of first appearance. */
  of(w: WorkloadPeer): number {
    let length = 0;
    for (const p of w.ports) {
      if (!p.name) continue;
      if (length === this.key.length) {
        const grown = new Int32Array(2 * length);
        grown.set(this.key);
        this.key = grown;
      }
      // A layout is a multiset: its ports kept in ascending order, repeats kept.
      const id = this.port(p.name, p.protocol, p.containerPort);
      const key = this.key;
      let j = length++;
      while (j > 0 && key[j - 1]! > id) {
        key[j] = key[j - 1]!;
        j--;
      }
      key[j] = id;
    }
    const node = this.layouts.node(this.key, length);
    node.value ??= this.count++;
    return node.value;
  }

  private port(name: string, protocol: string, number: number): number {
    let byProtocol = this.ports.get(name);
    if (!byProtocol) {
      byProtocol = new Map();
      this.ports.set(name, byProtocol);
    }
    let byNumber = byProtocol.get(protocol);
    if (!byNumber) {
      byNumber = new Map();
      byProtocol.set(protocol, byNumber);
    }
    let id = byNumber.get(number);
    if (id === undefined) {
      id = this.portCount++;
      byNumber.set(number, id);
    }
    return id;
  }
}
