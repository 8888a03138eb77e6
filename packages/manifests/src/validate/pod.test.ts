import { describe, expect, it } from 'vitest';
import { parseManifests } from '../parse.ts';
import { validateObject } from './object.ts';

type Json = Record<string, unknown>;

const noRange = () => undefined;
const validate = (kind: string, raw: Json) =>
  validateObject(kind, { kind, ...raw }, noRange, 'x.yaml').map(
    (d) => `${d.field}: ${d.message} [${d.code}]`,
  );

const container = (ports: unknown[]) => ({ containers: [{ name: 'app', image: 'nginx', ports }] });
const pod = (spec: Json, metadata: Json = { name: 'web', namespace: 'shop' }) => ({
  apiVersion: 'v1',
  metadata,
  spec,
});
const deployment = (podSpec: Json, labels: Json = { app: 'web' }) => ({
  apiVersion: 'apps/v1',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
});

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const RANGE = 'must be between 1 and 65535, inclusive';

describe('Pod validation', () => {
  it('accepts a plain pod', () => {
    expect(validate('Pod', pod(container([{ name: 'http', containerPort: 80, protocol: 'TCP' }])))).toEqual(
      [],
    );
  });

  it('refuses a name that is not a DNS-1123 subdomain', () => {
    expect(validate('Pod', pod({}, { name: 'Bad_Name' }))).toEqual([
      `metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN} [meta-invalid-name]`,
    ]);
  });

  it('requires metadata with a name', () => {
    expect(validate('Pod', { apiVersion: 'v1', spec: {} })).toEqual([
      'metadata.name: Required value: name or generateName is required [meta-name-required]',
    ]);
  });

  it('checks label keys and values, and the total size of annotations', () => {
    const metadata = {
      name: 'web',
      labels: { 'bad key': 'ok', app: 'not ok!' },
      annotations: { note: 'x'.repeat(256 * 1024) },
    };
    expect(validate('Pod', pod({}, metadata)).map((line) => line.replace(/: .*\[/, ': ... ['))).toEqual([
      'metadata.labels: ... [meta-invalid-label-key]',
      'metadata.labels: ... [meta-invalid-label-value]',
      'metadata.annotations: ... [meta-annotations-too-long]',
    ]);
  });

  it.each<[string, unknown, string]>([
    ['0', 0, 'Required value [pod-container-port-required]'],
    ['missing', undefined, 'Required value [pod-container-port-required]'],
    ['negative', -1, `Invalid value: -1: ${RANGE} [pod-container-port-range]`],
    ['above 65535', 65536, `Invalid value: 65536: ${RANGE} [pod-container-port-range]`],
  ])('refuses a containerPort that is %s', (_name, containerPort, message) => {
    expect(validate('Pod', pod(container([{ containerPort }])))).toEqual([
      `spec.containers[0].ports[0].containerPort: ${message}`,
    ]);
  });

  it('refuses a hostPort out of range, but not an absent or zero one', () => {
    expect(
      validate(
        'Pod',
        pod(
          container([
            { containerPort: 80, hostPort: 70000 },
            { containerPort: 81, hostPort: 0 },
          ]),
        ),
      ),
    ).toEqual([`spec.containers[0].ports[0].hostPort: Invalid value: 70000: ${RANGE} [pod-host-port-range]`]);
  });

  it('refuses duplicate port names within a container, and invalid ones', () => {
    const ports = [
      { name: 'http', containerPort: 80 },
      { name: 'http', containerPort: 8080 },
      { name: 'HTTP', containerPort: 8081 },
    ];
    expect(validate('Pod', pod(container(ports)))).toEqual([
      'spec.containers[0].ports[1].name: Duplicate value: "http" [pod-duplicate-port-name]',
      'spec.containers[0].ports[2].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-) [pod-invalid-port-name]',
      'spec.containers[0].ports[2].name: Invalid value: "HTTP": must contain at least one letter (a-z) [pod-invalid-port-name]',
    ]);
  });

  it('allows the same port name in two containers, and checks init containers', () => {
    const spec = {
      containers: [
        { name: 'a', ports: [{ name: 'http', containerPort: 80 }] },
        { name: 'b', ports: [{ name: 'http', containerPort: 81 }] },
      ],
      initContainers: [{ name: 'c', ports: [{ containerPort: 0 }] }],
    };
    expect(validate('Pod', pod(spec))).toEqual([
      'spec.initContainers[0].ports[0].containerPort: Required value [pod-container-port-required]',
    ]);
  });

  it('refuses an unknown protocol; an empty one defaults to TCP', () => {
    expect(
      validate(
        'Pod',
        pod(
          container([
            { containerPort: 80, protocol: 'HTTP' },
            { containerPort: 81, protocol: '' },
          ]),
        ),
      ),
    ).toEqual([
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP" [pod-port-protocol]',
    ]);
  });
});

describe('Namespace validation', () => {
  it.each<[string, string]>([
    ['dotted', 'team.a'],
    ['upper case', 'Team'],
  ])('refuses a %s name (a Namespace name is a DNS-1123 label)', (_name, name) => {
    const [line] = validate('Namespace', { apiVersion: 'v1', metadata: { name } });
    expect(line).toMatch(
      new RegExp(`^metadata\\.name: Invalid value: "${name}": .*\\[meta-invalid-name\\]$`),
    );
  });

  it('says "must not contain dots" for a valid subdomain', () => {
    expect(validate('Namespace', { apiVersion: 'v1', metadata: { name: 'a.b' } })).toEqual([
      'metadata.name: Invalid value: "a.b": must not contain dots [meta-invalid-name]',
    ]);
  });

  it('refuses a 2 MB name without repeating it in the message', () => {
    const name = 'a'.repeat(2 * 1024 * 1024);
    const [line, ...rest] = validate('Namespace', { apiVersion: 'v1', metadata: { name } });
    expect(rest).toEqual([]);
    expect(line).toContain('must be no more than 63 characters');
    expect(line).toContain(`... (${name.length} characters)`);
    expect(line?.length).toBeLessThan(300);
  });

  it('names the diagnostic by the namespace alone', () => {
    const [d] = validateObject('Namespace', { metadata: { name: 'A' } }, noRange, 'x.yaml');
    expect(d).toMatchObject({ object: 'A', kind: 'Namespace' });
  });
});

describe('workload validation', () => {
  it('checks the pod template labels and container ports', () => {
    const raw = deployment(container([{ containerPort: 0 }]), { 'a b': 'x' });
    expect(validate('Deployment', raw).map((line) => line.replace(/: Invalid value: .*\[/, ': ['))).toEqual([
      'spec.template.metadata.labels: [meta-invalid-label-key]',
      'spec.template.spec.containers[0].ports[0].containerPort: Required value [pod-container-port-required]',
    ]);
  });

  it('finds the template of a CronJob under its job template', () => {
    const raw = {
      apiVersion: 'batch/v1',
      metadata: { name: 'c'.repeat(53), namespace: 'shop' },
      spec: { jobTemplate: { spec: { template: { spec: container([{ containerPort: 99999 }]) } } } },
    };
    expect(validate('CronJob', raw)).toEqual([
      `metadata.name: Invalid value: "${'c'.repeat(53)}": must be no more than 52 characters [meta-invalid-name]`,
      `spec.jobTemplate.spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 99999: ${RANGE} [pod-container-port-range]`,
    ]);
  });
});

describe('parseManifests reports metadata problems of every analysed kind', () => {
  const parse = (text: string) =>
    parseManifests([{ path: 'x.yaml', text }]).diagnostics.map((d) => `${d.kind} ${d.field} ${d.code}`);

  it('Pods and Namespaces', () => {
    const text = [
      'apiVersion: v1\nkind: Pod\nmetadata: { name: Bad_Name, namespace: shop }\nspec: {}',
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: team.a }',
    ].join('\n---\n');
    expect(parse(text)).toEqual([
      'Pod metadata.name meta-invalid-name',
      'Namespace metadata.name meta-invalid-name',
    ]);
  });

  it("keeps the reader's type-mismatch for a Pod label of the wrong type, once", () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: { tier: 1 }\n';
    expect(parse(text)).toEqual(['Pod metadata.labels.tier type-mismatch']);
  });
});
