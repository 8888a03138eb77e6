import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { captureIO } from './nodeIO.ts';

const ANP = (spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: p }
spec:
${spec}`;

const SUBJECT = '  subject: { namespaces: {} }\n';

async function list(yaml: string, compat: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-compat-anp-'));
  writeFileSync(join(dir, 'anp.yaml'), yaml);
  const io = captureIO();
  const code = await runCli(
    ['list', '--dirpath', dir, ...(compat ? ['--compat', 'netpol-analyzer'] : [])],
    io,
  );
  return { code, err: io.err };
}

describe('AdminNetworkPolicy errors in netpol-analyzer wording under --compat netpol-analyzer', () => {
  it.each([
    {
      fault: 'a priority above 1000',
      yaml: ANP(`  priority: 1001\n${SUBJECT}`),
      message:
        'Invalid Priority Value: 1001 in Admin Network Policy: "p"; Priority value must be between 0-1000',
    },
    {
      fault: 'a subject with two fields',
      yaml: ANP(
        '  priority: 1\n  subject: { namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } }\n',
      ),
      message: 'admin network policy "p": exactly one field must be set in a subject',
    },
    {
      fault: 'an egress rule without peers',
      yaml: ANP(`  priority: 1\n${SUBJECT}  egress: [{ name: r, action: Allow }]\n`),
      message: 'in rule "r": to field must be defined and contain at least one item',
    },
    {
      fault: 'an ingress rule with an empty from',
      yaml: ANP(`  priority: 1\n${SUBJECT}  ingress: [{ name: r, action: Allow, from: [] }]\n`),
      message: 'in rule "r": from field must be defined and contain at least one item',
    },
    {
      fault: 'a peer with two fields',
      yaml: ANP(
        `  priority: 1\n${SUBJECT}  ingress: [{ name: r, action: Deny, from: [{ namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } }] }]\n`,
      ),
      message: 'in rule "r": exactly one field must be set in a rule peer',
    },
    {
      fault: 'a port with two fields',
      yaml: ANP(
        `  priority: 1\n${SUBJECT}  ingress: [{ name: r, action: Deny, from: [{ namespaces: {} }], ports: [{ portNumber: { port: 80, protocol: TCP }, namedPort: web }] }]\n`,
      ),
      message: 'in rule "r": exactly one field must be set in an AdminNetworkPolicyPort',
    },
    {
      fault: "v1alpha2's Accept in a v1alpha1 rule",
      yaml: ANP(
        `  priority: 1\n${SUBJECT}  ingress: [{ name: r, action: Accept, from: [{ namespaces: {} }] }]\n`,
      ),
      message: 'in rule "r": unrecognized action',
    },
    {
      fault: 'an invalid CIDR behind a schema error the API server stops at',
      yaml: ANP(
        `  priority: 1\n${SUBJECT}  egress:\n    - { name: bad-cidr, action: Allow, to: [{ networks: [zc00::/8] }] }\n    - { name: two-fields, action: Deny, to: [{ namespaces: {} }], ports: [{ portNumber: { port: 53, protocol: UDP }, namedPort: dns }] }\n`,
      ),
      message: 'in rule "bad-cidr": invalid CIDR address',
    },
    {
      fault: 'a port range whose start is above its end',
      yaml: ANP(
        `  priority: 1\n${SUBJECT}  ingress: [{ name: r, action: Allow, from: [{ namespaces: {} }], ports: [{ portRange: { start: 10, end: 1 } }] }]\n`,
      ),
      message:
        'in rule "r": port range 10-1 is legal; start and end values of the port range should be in {1-65535} and end may not be less than start',
    },
  ])('$fault', async ({ yaml, message }) => {
    const { code, err } = await list(yaml, true);
    expect(code).toBe(1);
    expect(err).toContain(message);
  });

  it("keeps the API server's wording without the flag", async () => {
    const { err } = await list(
      ANP(`  priority: 1\n${SUBJECT}  ingress: [{ name: r, action: Accept, from: [{ namespaces: {} }] }]\n`),
      false,
    );
    expect(err).toContain('Unsupported value: "Accept"');
    expect(err).not.toContain('unrecognized action');
  });

  it('stores a reversed v1alpha1 port range as one that matches no port, with a warning', async () => {
    const { code, err } = await list(
      ANP(
        `  priority: 1\n${SUBJECT}  ingress: [{ name: r, action: Allow, from: [{ namespaces: {} }], ports: [{ portRange: { start: 10, end: 1 } }] }]\n`,
      ),
      false,
    );
    expect(code).toBe(0);
    expect(err).toContain('[cluster-policy-empty-port-range]');
  });
});
