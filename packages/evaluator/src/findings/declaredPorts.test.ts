import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reviewFiles } from './testing.ts';

const TRIGGER = readFileSync(
  fileURLToPath(new URL('./fixtures/undeclared-port/trigger.yaml', import.meta.url)),
  'utf8',
);

function undeclared(ports: string, extra = '') {
  const text = TRIGGER.replace(
    '        - { port: 8080 }\n        - { port: 53, protocol: UDP }\n',
    `${ports}\n`,
  );
  return reviewFiles([{ path: 'a.yaml', text: text + extra }]).findings.filter(
    (f) => f.rule === 'undeclared-port',
  );
}

describe('undeclared-port', () => {
  it.each([
    ['a narrow range around no declared port', '        - { port: 9000, endPort: 9010 }', 1],
    ['a narrow range around the declared port', '        - { port: 8000, endPort: 8100 }', 0],
    ['a wide range (a deliberate broad allow)', '        - { port: 1024, endPort: 65535, protocol: UDP }', 0],
    ['every UDP port', '        - { protocol: UDP }', 0],
    ['a named port', '        - { port: metrics }', 0],
  ])('%s', (_, ports, count) => {
    expect(undeclared(ports)).toHaveLength(count);
  });

  it('names the workloads that declare nothing, beside the ports others declare', () => {
    const worker = `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: worker, namespace: shop }
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web, role: worker }
    spec:
      containers: [{ name: worker, image: example/worker }]
`;
    const [hit] = undeclared('        - { port: 9000 }', worker);
    expect(hit?.title).toContain('none of the 2 selected workloads declares');
    expect(hit?.message).toContain('declared: TCP 8080; shop/worker[Deployment] declares no ports');
  });
});
