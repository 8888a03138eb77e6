import { type ClusterNetworks, cidrToInterval } from '@netpol-atlas/evaluator';
import { useState } from 'react';
import { selectNetworks, setNetworksAction, useStore } from '../store/index.ts';

const FIELDS = [
  { key: 'podCidrs', label: 'Pod CIDRs', placeholder: '10.244.0.0/16' },
  { key: 'serviceCidrs', label: 'Service CIDRs', placeholder: '10.96.0.0/12' },
  { key: 'nodeCidrs', label: 'Node CIDRs', placeholder: '10.0.0.0/24' },
] as const;

type Key = (typeof FIELDS)[number]['key'];

/** Comma- or space-separated CIDRs; undefined when one of them is not an IPv4 CIDR. */
function parseList(text: string): string[] | undefined {
  const list = text.split(/[\s,]+/).filter((v) => v !== '');
  return list.every((v) => cidrToInterval(v) !== undefined) ? list : undefined;
}

/**
 * The cluster's address ranges, as `netpol lint --pod-cidr/--service-cidr/--node-cidr` takes
 * them: the review checks what ipBlocks reach against them (nodes, pods, ClusterIPs). A field
 * applies once every entry in it is an IPv4 CIDR.
 */
export function ClusterRanges() {
  const networks = useStore(selectNetworks);
  const setNetworks = useStore(setNetworksAction);
  const [texts, setTexts] = useState<Record<Key, string>>(() => ({
    podCidrs: (networks.podCidrs ?? []).join(', '),
    serviceCidrs: (networks.serviceCidrs ?? []).join(', '),
    nodeCidrs: (networks.nodeCidrs ?? []).join(', '),
  }));
  const change = (key: Key, text: string) => {
    setTexts((t) => ({ ...t, [key]: text }));
    const list = parseList(text);
    if (list) setNetworks({ ...networks, [key]: list } satisfies ClusterNetworks);
  };
  return (
    <details className="cluster-ranges">
      <summary>Cluster address ranges</summary>
      {FIELDS.map(({ key, label, placeholder }) => {
        const invalid = parseList(texts[key]) === undefined;
        return (
          <label key={key} className="stacked">
            <span>{label}</span>
            <input
              type="text"
              value={texts[key]}
              placeholder={placeholder}
              aria-invalid={invalid}
              spellCheck={false}
              onChange={(e) => change(key, e.target.value)}
            />
            {invalid && <small className="error">IPv4 CIDRs, comma-separated (10.244.0.0/16)</small>}
          </label>
        );
      })}
    </details>
  );
}
