import { describe, expect, it } from 'vitest';
import { nodeId } from '../model/ids.test-helper.ts';
import type { GraphNode } from '../model/index.ts';
import { parsePortList, portIntents, portSuggestions } from './portSpec.ts';

function node(ports: GraphNode['ports']): GraphNode {
  return {
    id: nodeId('ns/w[Deployment]'),
    type: 'workload',
    label: 'w',
    kind: 'Deployment',
    namespace: 'ns',
    labels: {},
    ports,
    ingressIsolated: false,
    egressIsolated: false,
    pods: 1,
    source: undefined,
  };
}

describe('parsePortList', () => {
  it.each([
    { text: '', want: [] },
    { text: '443', want: [{ protocol: 'TCP', port: 443 }] },
    {
      text: 'UDP 53, TCP 53',
      want: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ],
    },
    { text: '53/udp', want: [{ protocol: 'UDP', port: 53 }] },
    { text: '8000-8080', want: [{ protocol: 'TCP', port: 8000, endPort: 8080 }] },
    { text: '80-80', want: [{ protocol: 'TCP', port: 80 }] },
    { text: 'sctp', want: [{ protocol: 'SCTP' }] },
    {
      text: 'http, UDP dns-udp',
      want: [
        { protocol: 'TCP', port: 'http' },
        { protocol: 'UDP', port: 'dns-udp' },
      ],
    },
  ])('reads "$text"', ({ text, want }) => {
    expect(parsePortList(text)).toEqual({ ports: want });
  });

  it.each([
    { text: '0', error: /from 1 to 65535/ },
    { text: '70000', error: /from 1 to 65535/ },
    { text: '90-80', error: /low to high/ },
    { text: 'ICMP 1', error: /expected a protocol/ },
    { text: '80/ICMP', error: /after the slash/ },
    { text: 'TCP 80 443', error: /one port or range per item/ },
    { text: 'Not_A_Name', error: /is not a port/ },
  ])('refuses "$text"', ({ text, error }) => {
    const result = parsePortList(text);
    expect('error' in result && result.error).toMatch(error);
  });
});

describe('port suggestions', () => {
  it('lists each container port once, named ports with their name', () => {
    const suggestions = portSuggestions([
      node([
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ]),
      node([{ name: 'http', port: 8080, protocol: 'TCP' }]),
    ]);
    expect(suggestions.map((s) => s.label)).toEqual(['TCP 8080 (http)', 'UDP 53 (dns)']);
  });

  it('turns the ticked suggestions into port intents, by number or by name', () => {
    const suggestions = portSuggestions([node([{ name: 'http', port: 8080, protocol: 'TCP' }])]);
    const ticked = new Set([suggestions[0]!.key]);
    expect(portIntents(suggestions, ticked, false, '')).toEqual({ ports: [{ protocol: 'TCP', port: 8080 }] });
    expect(portIntents(suggestions, ticked, true, 'UDP 53')).toEqual({
      ports: [
        { protocol: 'TCP', port: 'http' },
        { protocol: 'UDP', port: 53 },
      ],
    });
    expect(portIntents(suggestions, new Set(), false, '')).toEqual({
      error: 'Pick at least one port, or choose all ports and protocols.',
    });
  });
});
