import { describe, expect, it } from 'vitest';
import { parseFile, parseManifests } from './index.ts';

function parse(text: string, path = 'in.yaml') {
  return parseFile({ path, text });
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  labels: { app: web }
spec:
  containers:
    - name: c
      ports:
        - { name: http, containerPort: 8080 }
        - { containerPort: 53, protocol: UDP }
status:
  phase: Running
  podIP: 10.1.2.3
`;

describe('parseFile: documents and kinds', () => {
  it('reads every document of a multi-document stream', () => {
    const r = parse(`${POD}---\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n`);
    expect(r.objects.map((o) => o.kind)).toEqual(['Pod', 'Namespace']);
    expect(r.diagnostics).toEqual([]);
  });

  it('types pods: labels, container ports with defaulted protocol, IPs and phase', () => {
    const [pod] = parse(POD).objects;
    expect(pod?.kind).toBe('Pod');
    if (pod?.kind !== 'Pod') return;
    expect(pod.metadata).toMatchObject({ name: 'web-1', namespace: 'shop', labels: { app: 'web' } });
    expect(pod.template.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: undefined, containerPort: 53, protocol: 'UDP' },
    ]);
    expect(pod.podIPs).toEqual(['10.1.2.3']);
    expect(pod.phase).toBe('Running');
  });

  it('flattens `List` and typed lists, filling kind and apiVersion of typed-list items', () => {
    const text = `apiVersion: v1
kind: PodList
items:
  - metadata: { name: a }
  - metadata: { name: b }
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: x }
`;
    const r = parse(text);
    expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Pod/a', 'Pod/b', 'Namespace/x']);
    expect(r.objects[1]?.source.item).toBe(1);
  });

  it('reads JSON files', () => {
    const r = parse(
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'j' } }),
      'ns.json',
    );
    expect(r.objects[0]?.metadata.name).toBe('j');
  });

  it('reads workload pod templates, including CronJob job templates', () => {
    const r = parse(`apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly }
spec:
  jobTemplate:
    spec:
      template:
        metadata: { labels: { job: nightly } }
        spec:
          containers: [{ name: c, ports: [{ containerPort: 9000 }] }]
`);
    const [job] = r.objects;
    expect(job?.kind).toBe('CronJob');
    if (job?.kind !== 'CronJob') return;
    expect(job.template.labels).toEqual({ job: 'nightly' });
    expect(job.template.ports[0]?.containerPort).toBe(9000);
  });

  it('skips unknown kinds with an info diagnostic and keeps them as unanalysed objects', () => {
    const r = parse('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm }\ndata: { a: b }\n');
    expect(r.objects).toEqual([]);
    expect(r.unanalysed.map((o) => o.kind)).toEqual(['ConfigMap']);
    expect(r.diagnostics).toMatchObject([{ code: 'unknown-kind', severity: 'info' }]);
  });

  it('warns about policy kinds it does not evaluate, since they change connectivity', () => {
    const r = parse(
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: a, namespace: x }\n---\n' +
        'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: { name: c, namespace: x }\n',
    );
    expect(r.objects).toEqual([]);
    expect(r.unanalysed.map((o) => o.kind)).toEqual(['CiliumNetworkPolicy', 'NetworkPolicy']);
    expect(r.diagnostics).toMatchObject([
      { code: 'policy-kind-not-evaluated', severity: 'warning' },
      { code: 'policy-kind-not-evaluated', severity: 'warning' },
    ]);
  });

  it('skips documents that are not manifests with a warning, and keeps the rest', () => {
    const r = parse(`- just\n- a list\n---\n${POD}`);
    expect(r.objects).toHaveLength(1);
    expect(r.diagnostics).toMatchObject([
      { code: 'not-a-manifest', severity: 'warning', range: { start: { line: 1 } } },
    ]);
  });

  it('reports an object without kind as an error naming what is missing', () => {
    const r = parse('apiVersion: v1\nkindt: Pod\nmetadata: { name: p }\n');
    expect(r.diagnostics).toMatchObject([{ code: 'missing-kind', severity: 'error' }]);
    expect(r.diagnostics[0]?.message).toContain("Object 'Kind' is missing in");
  });
});

describe('parseFile: hazards', () => {
  it('refuses a document with a syntax error at its line and column, keeping the documents around it', () => {
    const r = parse(`${POD}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: @reserved\n---\n${POD}`);
    expect(r.objects).toHaveLength(2);
    const [d] = r.diagnostics;
    expect(d).toMatchObject({ code: 'yaml-syntax', severity: 'error', file: 'in.yaml' });
    expect(d?.range?.start).toEqual({ line: 20, column: 9 });
  });

  it('refuses alias bombs', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(
        `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    const r = parse(`${lines.join('\n')}\n`);
    expect(r.diagnostics).toMatchObject([{ code: 'yaml-alias-limit', severity: 'error' }]);
    expect(r.objects).toEqual([]);
  });

  it('reports duplicate keys at the second occurrence; the last value wins as in Kubernetes', () => {
    const r = parse('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: one\n  name: two\n');
    expect(r.objects[0]?.metadata.name).toBe('two');
    expect(r.diagnostics).toMatchObject([
      {
        code: 'yaml-duplicate-key',
        severity: 'warning',
        field: 'metadata.name',
        range: { start: { line: 5, column: 3 } },
      },
    ]);
  });

  it('warns about YAML 1.1 readings: yes/on/no become booleans, leading zeros octal', () => {
    const r = parse(`apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    enabled: yes
spec:
  containers: [{ name: c, ports: [{ containerPort: 0110 }] }]
`);
    const codes = r.diagnostics.map((d) => `${d.code}@${d.field}`);
    expect(codes).toContain('yaml11-reading@metadata.labels.enabled');
    expect(codes).toContain('yaml11-reading@spec.containers[0].ports[0].containerPort');
    // Kubernetes would refuse a boolean label value: so do we, at the same place.
    expect(codes).toContain('type-mismatch@metadata.labels.enabled');
    const pod = r.objects[0];
    expect(pod?.kind === 'Pod' && pod.template.ports[0]?.containerPort).toBe(72);
  });

  it('refuses oversized files with a clear message', () => {
    const r = parseFile({ path: 'big.yaml', text: 'x'.repeat(2048) }, { maxFileBytes: 1024 });
    expect(r.objects).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'file-too-large', file: 'big.yaml' });
    expect(r.diagnostics[0]?.message).toMatch(/larger than 1 KiB/);
  });

  it('reports wrong field types with the field path and range, never throwing', () => {
    const r = parse('apiVersion: v1\nkind: Pod\nmetadata: { name: p, labels: [a, b] }\nspec: 7\n');
    expect(r.diagnostics.map((d) => d.field)).toEqual(['metadata.labels', 'spec']);
    expect(r.diagnostics.every((d) => d.severity === 'error' && d.range !== undefined)).toBe(true);
  });
});

describe('parseFile: NetworkPolicy', () => {
  const policy = (spec: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: np, namespace: ns }\nspec:\n${spec}`;

  it('keeps empty vs absent distinct: absent fields are undefined, empty lists stay empty', () => {
    const r = parse(policy('  podSelector: {}\n  ingress: []\n  egress:\n    - {}\n'));
    const np = r.objects[0];
    expect(np?.kind).toBe('NetworkPolicy');
    if (np?.kind !== 'NetworkPolicy') return;
    expect(np.valid).toBe(true);
    expect(np.spec.policyTypes).toBeUndefined();
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress).toEqual([{ peers: undefined, ports: undefined }]);
    expect(np.spec.podSelector).toEqual({ matchLabels: undefined, matchExpressions: undefined });
  });

  it('marks a policy the API server would refuse as invalid, with located diagnostics', () => {
    const r = parse(
      policy('  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: { cidr: 10.0.0.0/33 }\n'),
    );
    const np = r.objects[0];
    expect(np?.kind === 'NetworkPolicy' && np.valid).toBe(false);
    expect(r.diagnostics).toMatchObject([
      {
        code: 'np-invalid-cidr',
        field: 'spec.ingress[0].from[0].ipBlock.cidr',
        range: { start: { line: 8, column: 28 } },
      },
    ]);
  });

  it('reports a wrong type once, with the validator wording', () => {
    const r = parse(policy('  podSelector: {}\n  ingress:\n    - ports: [{ port: true }]\n'));
    expect(r.diagnostics.filter((d) => d.field === 'spec.ingress[0].ports[0].port')).toHaveLength(1);
  });

  it('locates list items inside List documents', () => {
    const r = parseManifests([
      {
        path: 'list.yaml',
        text: `apiVersion: v1\nkind: List\nitems:\n  - ${policy(
          '    podSelector: {}\n    policyTypes: [Sideways]\n',
        )
          .split('\n')
          .join('\n    ')}\n`,
      },
    ]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'np-policy-type', field: 'spec.policyTypes[0]' });
    expect(r.diagnostics[0]?.range?.start.line).toBe(9);
  });
});

describe('source.locate', () => {
  const [pod] = parseManifests([
    {
      path: 'p.yaml',
      text: [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: first',
        '  labels: {app: web}',
        '  name: second',
        '  annotations:',
        'spec:',
        '  containers:',
        '    - name: c',
        '      ports: [{containerPort: 80}, {containerPort: 81}]',
        '',
      ].join('\n'),
    },
  ]).objects;
  const at = (path: (string | number)[]) => {
    const range = pod!.source.locate(path);
    return range && `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;
  };

  it('points at values, sequence items and, for a key given twice, the last one', () => {
    expect(at(['metadata', 'name'])).toBe('6:9-6:15');
    expect(at(['metadata', 'labels', 'app'])).toBe('5:17-5:20');
    expect(at(['spec', 'containers', 0, 'ports', 1, 'containerPort'])).toBe('11:52-11:54');
  });

  it('falls back to the deepest node that exists; an empty value is where it would be', () => {
    expect(at(['spec', 'containers', 0, 'image'])).toBe(at(['spec', 'containers', 0]));
    expect(at(['spec', 'containers', 5])).toBe(at(['spec', 'containers']));
    // A number does not index a map, nor a name a sequence.
    expect(at(['metadata', 0])).toBe(at(['metadata']));
    expect(at(['spec', 'containers', 'name'])).toBe(at(['spec', 'containers']));
    expect(at(['metadata', 'annotations'])).toBe('7:15-7:15');
  });
});
