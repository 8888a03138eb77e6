import { readFileSync } from 'node:fs';
import { type PolicyForm, writePolicyForm } from '@netpol-atlas/authoring';
import { describe, expect, it } from 'vitest';
import { emptySelector, formProblems, loadPolicyForm, splitList } from './policyFormModel.ts';

const file = {
  path: 'demo/policies.yaml',
  text: readFileSync(new URL('../../../../public/demo/policies.yaml', import.meta.url), 'utf8'),
};

describe('the policy form model', () => {
  it('reads a policy from its own file, and writing it back unchanged edits nothing', () => {
    const form = loadPolicyForm(file, 'store/store-api');
    expect(form?.ingress[0]?.peers[0]).toEqual({
      kind: 'pods',
      namespaceSelector: { matchLabels: { app: 'frontend' }, matchExpressions: [] },
      podSelector: { matchLabels: { app: 'frontend' }, matchExpressions: [] },
    });
    expect(writePolicyForm([file], 'store/store-api', form!)).toEqual([]);
    expect(loadPolicyForm(file, 'store/nope')).toBeUndefined();
  });

  it('a port changed in the form changes that line only', () => {
    const form = loadPolicyForm(file, 'store/store-api')!;
    const edited: PolicyForm = {
      ...form,
      ingress: [{ ...form.ingress[0]!, ports: [{ protocol: 'TCP', port: 8443, endPort: undefined }] }],
    };
    const [edit] = writePolicyForm([file], 'store/store-api', edited);
    const before = file.text.split('\n');
    const after = edit!.after.split('\n');
    expect(after.length).toBe(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(['          port: 8443']);
  });

  const valid = (): PolicyForm => ({
    name: 'p',
    namespace: 'ns',
    podSelector: emptySelector(),
    policyTypes: ['Ingress'],
    ingress: [],
    egress: [],
  });

  it.each([
    { name: 'a bad name', form: { ...valid(), name: 'Bad_Name' }, problem: 'DNS subdomain' },
    {
      name: 'no policy types',
      form: { ...valid(), policyTypes: [] },
      problem: 'choose Ingress, Egress or both',
    },
    {
      name: 'a label without a key',
      form: { ...valid(), podSelector: { matchLabels: { '': 'x' }, matchExpressions: [] } },
      problem: 'pod selector: a label has no key',
    },
    {
      name: 'In without values',
      form: {
        ...valid(),
        podSelector: { matchLabels: {}, matchExpressions: [{ key: 'k', operator: 'In', values: [] }] },
      },
      problem: '"k In" needs at least one value',
    },
    {
      name: 'a peer without selectors',
      form: {
        ...valid(),
        ingress: [
          {
            peers: [{ kind: 'pods' as const, namespaceSelector: undefined, podSelector: undefined }],
            ports: [],
          },
        ],
      },
      problem: 'ingress rule 0, peer 0: give a namespace selector, a pod selector or both',
    },
    {
      name: 'an ipBlock without a CIDR',
      form: {
        ...valid(),
        egress: [{ peers: [{ kind: 'ipBlock' as const, cidr: '', except: [] }], ports: [] }],
      },
      problem: 'egress rule 0, peer 0: the ipBlock needs a CIDR',
    },
  ])('refuses $name', ({ form, problem }) => {
    expect(formProblems(form).join('\n')).toContain(problem);
  });

  it('accepts a valid form, and reads comma lists', () => {
    expect(formProblems(valid())).toEqual([]);
    expect(splitList(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
  });
});
