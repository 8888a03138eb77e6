import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { plan, planClusterDeny, planTighten } from '@netpol-atlas/authoring';
import { Workspace } from '@netpol-atlas/workspace';
import { describe, expect, it } from 'vitest';
import { createAuthoringHandler } from './authoringHandler.ts';
import { APP_WORKSPACE_OPTIONS } from './compileWorkspace.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const files = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));
const DEMO = { kind: 'workload' as const, id: 'default/demo[Deployment]' };
const FRONTEND = { kind: 'workload' as const, id: 'frontend/frontend[Deployment]' };
const STORE_API = { kind: 'workload' as const, id: 'store/store-api[Deployment]' };

describe('the authoring handler with cluster tiers', () => {
  const handle = createAuthoringHandler(() => new Workspace(files, APP_WORKSPACE_OPTIONS));

  it('plans an edge into the Admin tier as the planner does', () => {
    const intent = {
      src: DEMO,
      dst: STORE_API,
      ports: [{ protocol: 'TCP' as const, port: 8080 }],
      placement: 'admin' as const,
    };
    const reply = handle({ type: 'plan', generation: 1, files, job: { kind: 'edge', intent }, cluster: {} });
    expect(reply).toMatchObject({ type: 'plan', plan: { ok: true } });
    expect(reply.type === 'plan' && reply.plan).toEqual(plan({ files, intent }));
  });

  it('runs a cluster-deny job through planClusterDeny', () => {
    const intent = { src: FRONTEND, dst: STORE_API, ports: 'all' as const };
    const reply = handle({
      type: 'plan',
      generation: 2,
      files,
      job: { kind: 'cluster-deny', intent },
      cluster: {},
    });
    expect(reply).toMatchObject({ type: 'plan', plan: { ok: true } });
    expect(reply.type === 'plan' && reply.plan).toEqual(planClusterDeny(files, intent));
  });

  it('runs a tighten job through planTighten, its preview beside the plan', () => {
    const observed = [
      { src: FRONTEND, dst: STORE_API, protocol: 'TCP' as const, port: 8080 },
      {
        src: STORE_API,
        dst: { kind: 'external' as const, address: '52.94.76.10' },
        protocol: 'TCP' as const,
        port: 443,
      },
    ];
    const scope = { kind: 'namespace' as const, name: 'store' };
    const reply = handle({
      type: 'plan',
      generation: 3,
      files,
      job: { kind: 'tighten', scope, observed, keepDns: true },
      cluster: {},
    });
    expect(reply).toMatchObject({ type: 'plan', plan: { ok: true, tighten: { denied: [] } } });
    expect(reply.type === 'plan' && reply.plan).toEqual(
      planTighten(files, scope, observed, { keepDns: true }),
    );
  });
});
