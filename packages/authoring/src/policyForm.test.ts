import { policyId } from '@netpol-atlas/evaluator';
import { type NetworkPolicyObject, parseManifests, type SourceFile } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { applyFileEdits } from './compiled.ts';
import { demo } from './fixtures.test-helper.ts';
import {
  describePeers,
  type PolicyForm,
  type RuleForm,
  readPolicyForm,
  writePolicyForm,
} from './policyForm.ts';
import { alignLines, splitStream } from './yamlText.ts';

function policy(files: readonly SourceFile[], id: string): NetworkPolicyObject {
  const found = parseManifests(files).objects.find(
    (o): o is NetworkPolicyObject => o.kind === 'NetworkPolicy' && policyId(o) === id,
  );
  if (!found) throw new Error(`no policy ${id}`);
  return found;
}

/** A line diff (longest common subsequence): the lines added and removed, in order. */
function lineChanges(before: string, after: string): { added: string[]; removed: string[] } {
  const b = before.split('\n');
  const a = after.split('\n');
  const matches = alignLines(b, a, (x, y) => x === y)!;
  const kept = new Set(matches.values());
  return { added: a.filter((_, i) => !matches.has(i)), removed: b.filter((_, i) => !kept.has(i)) };
}

const sel = (matchLabels: Record<string, string> = {}) => ({ matchLabels, matchExpressions: [] });

describe('readPolicyForm', () => {
  it('reads the demo store-api policy, effective policyTypes and the AND peer included', () => {
    const form = readPolicyForm(policy(demo, 'store/store-api'));
    expect(form).toEqual<PolicyForm>({
      name: 'store-api',
      namespace: 'store',
      podSelector: sel(),
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          peers: [
            {
              kind: 'pods',
              namespaceSelector: sel({ app: 'frontend' }),
              podSelector: sel({ app: 'frontend' }),
            },
          ],
          ports: [{ protocol: 'TCP', port: 8080, endPort: undefined }],
        },
      ],
      egress: [
        {
          peers: [
            {
              kind: 'pods',
              namespaceSelector: sel({ app: 'downstream-1' }),
              podSelector: sel({ app: 'downstream-1' }),
            },
            {
              kind: 'pods',
              namespaceSelector: sel({ app: 'downstream-2' }),
              podSelector: sel({ app: 'downstream-2' }),
            },
          ],
          ports: [{ protocol: 'TCP', port: 8080, endPort: undefined }],
        },
      ],
    });
  });

  it('applies the API server defaulting of policyTypes', () => {
    const files = [
      {
        path: 'p.yaml',
        text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  egress: [{}]\n',
      },
    ];
    expect(readPolicyForm(policy(files, 'default/p')).policyTypes).toEqual(['Ingress', 'Egress']);
  });
});

describe('writePolicyForm', () => {
  it('writes nothing for an unchanged form, even where the file says `matchLabels: {}`', () => {
    for (const id of ['default/demo-db', 'store/store-api', 'downstream-1/store-to-downstream-1']) {
      expect(writePolicyForm(demo, id, readPolicyForm(policy(demo, id)))).toEqual([]);
    }
  });

  it('changes one port as a hand edit would: one line, comments and other documents untouched', () => {
    const form = readPolicyForm(policy(demo, 'store/store-api'));
    form.ingress[0]!.ports[0]!.port = 8443;
    const edits = writePolicyForm(demo, 'store/store-api', form);
    expect(edits).toHaveLength(1);
    const edit = edits[0]!;
    expect(edit.before!.replace('port: 8080\n  egress', 'port: 8443\n  egress')).toBe(edit.after);
    const before = splitStream(edit.before!);
    const after = splitStream(edit.after);
    expect(after[0]!.text).toBe(before[0]!.text);
    expect(after[1]!.text).toBe(before[1]!.text);
    expect(after[3]!.text).toBe(before[3]!.text);
  });

  it('adds a peer and a rule the way they are written by hand', () => {
    const form = readPolicyForm(policy(demo, 'default/demo-db'));
    form.ingress[0]!.peers.push({
      kind: 'pods',
      namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'ops' }),
      podSelector: undefined,
    });
    form.ingress.push({
      peers: [{ kind: 'ipBlock', cidr: '10.0.0.0/8', except: ['10.0.1.0/24'] }],
      ports: [{ protocol: 'TCP', port: 'postgres', endPort: undefined }],
    });
    const [edit] = writePolicyForm(demo, 'default/demo-db', form);
    expect(lineChanges(edit!.before!, edit!.after)).toEqual({
      added: [
        '        - namespaceSelector:',
        '            matchLabels:',
        '              kubernetes.io/metadata.name: ops',
        '    - from:',
        '        - ipBlock:',
        '            cidr: 10.0.0.0/8',
        '            except:',
        '              - 10.0.1.0/24',
        '      ports:',
        '        - protocol: TCP',
        '          port: postgres',
      ],
      removed: [],
    });
    expect(edit!.after).toContain(
      '              app: demo\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: ops\n    - from:\n        - ipBlock:',
    );
    const after = readPolicyForm(policy(applyFileEdits(demo, [edit!]), 'default/demo-db'));
    expect(after).toEqual(form);
  });

  it('keeps Egress in force when the last egress rule goes from a policy without policyTypes', () => {
    const files = [
      {
        path: 'p.yaml',
        text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n  egress:\n    - to:\n        - podSelector: {}\n',
      },
    ];
    const form = readPolicyForm(policy(files, 'default/p'));
    form.egress = [];
    const [edit] = writePolicyForm(files, 'default/p', form);
    expect(edit!.after).toBe(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress\n  egress: []\n',
    );
    expect(readPolicyForm(policy(applyFileEdits(files, [edit!]), 'default/p'))).toEqual(form);
  });

  it('renames a policy in place', () => {
    const form = readPolicyForm(policy(demo, 'default/demo-db'));
    form.name = 'demo-db-ingress';
    const [edit] = writePolicyForm(demo, 'default/demo-db', form);
    expect(lineChanges(edit!.before!, edit!.after)).toEqual({
      added: ['  name: demo-db-ingress'],
      removed: ['  name: demo-db'],
    });
  });
});

describe('describePeers', () => {
  const ns = (labels: Record<string, string>) => sel(labels);
  it.each<
    [
      string,
      RuleForm,
      { combinator: 'OR' | undefined; text: string; peerCombinators: ('AND' | undefined)[]; warns: boolean },
    ]
  >([
    [
      'one peer with both selectors is AND',
      {
        peers: [
          { kind: 'pods', namespaceSelector: ns({ app: 'frontend' }), podSelector: sel({ app: 'frontend' }) },
        ],
        ports: [],
      },
      {
        combinator: undefined,
        text: 'pods with app=frontend AND in namespaces with app=frontend',
        peerCombinators: ['AND'],
        warns: false,
      },
    ],
    [
      'two peers are OR, and the namespace-only + pod-only pair is the trap',
      {
        peers: [
          { kind: 'pods', namespaceSelector: ns({ app: 'frontend' }), podSelector: undefined },
          { kind: 'pods', namespaceSelector: undefined, podSelector: sel({ app: 'frontend' }) },
        ],
        ports: [],
      },
      {
        combinator: 'OR',
        text: 'every pod in namespaces with app=frontend OR pods with app=frontend in namespace store',
        peerCombinators: [undefined, undefined],
        warns: true,
      },
    ],
    [
      'two AND peers are OR between them, no trap',
      {
        peers: [
          { kind: 'pods', namespaceSelector: ns({ app: 'd1' }), podSelector: sel({ app: 'd1' }) },
          { kind: 'pods', namespaceSelector: ns({ app: 'd2' }), podSelector: sel({ app: 'd2' }) },
        ],
        ports: [],
      },
      {
        combinator: 'OR',
        text: 'pods with app=d1 AND in namespaces with app=d1 OR pods with app=d2 AND in namespaces with app=d2',
        peerCombinators: ['AND', 'AND'],
        warns: false,
      },
    ],
    [
      'empty selectors and ipBlocks',
      {
        peers: [
          { kind: 'pods', namespaceSelector: ns({}), podSelector: undefined },
          { kind: 'ipBlock', cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] },
        ],
        ports: [],
      },
      {
        combinator: 'OR',
        text: 'every pod in every namespace OR addresses in 10.0.0.0/8 except 10.1.0.0/16',
        peerCombinators: [undefined, undefined],
        warns: false,
      },
    ],
    [
      'no peers admits everyone',
      { peers: [], ports: [] },
      { combinator: undefined, text: 'everyone (no peers listed)', peerCombinators: [], warns: false },
    ],
  ])('%s', (_name, rule, expected) => {
    const description = describePeers(rule, 'store');
    expect(description.combinator).toBe(expected.combinator);
    expect(description.text).toBe(expected.text);
    expect(description.peers.map((p) => p.combinator)).toEqual(expected.peerCombinators);
    expect(description.warnings.length > 0).toBe(expected.warns);
  });

  it('labels the demo store-api ingress peer AND', () => {
    const form = readPolicyForm(policy(demo, 'store/store-api'));
    expect(describePeers(form.ingress[0]!, form.namespace).peers[0]!.parts).toEqual([
      'namespaces with app=frontend',
      'pods with app=frontend',
    ]);
  });
});
