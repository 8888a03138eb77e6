// The app's what-if runs on the compiled workspace: its objects must be the ones the cluster was
// built from, also after an incremental compile that reused the workloads.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileWorkspace } from './compileWorkspace.ts';
import { whatIfInWorkspace } from './workspaceQueries.ts';

const DEMO_DIR = fileURLToPath(new URL('../../../../public/demo/', import.meta.url));
const demoFiles = readdirSync(DEMO_DIR)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${DEMO_DIR}${name}`, 'utf8') }));

describe('whatIfInWorkspace', () => {
  it("finds demo-db's escape, also after an incremental policy edit", () => {
    const first = compileWorkspace(demoFiles);
    const view = whatIfInWorkspace(first, 'default/demo-db[StatefulSet]')!;
    expect(view.withPodLabels.map((o) => o.remove)).toEqual([['app']]);
    expect(view.withPodLabels[0]!.opens).toContainEqual({
      peer: 'frontend/frontend[Deployment]',
      conn: 'All Connections',
    });
    expect(view.search.pod).toEqual({ evaluated: 6, limit: 64, untried: 0 });

    // Let demo-db also reach downstream-2 on 8080: only a policy changes, the workloads are reused.
    const edited = demoFiles.map((f) =>
      f.path === 'demo/policies.yaml'
        ? {
            ...f,
            text: f.text.replace(
              '  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: demo\n',
              '  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: demo\n  egress:\n    - ports:\n        - port: 8080\n',
            ),
          }
        : f,
    );
    expect(edited).not.toEqual(demoFiles);
    const second = compileWorkspace(edited, {}, first);
    expect(second.cluster.workloads).toBe(first.cluster.workloads);
    const after = whatIfInWorkspace(second, 'default/demo-db[StatefulSet]')!;
    expect(after.reachesNow.map((t) => `${t.peer}: ${t.conn}`)).toContain(
      'downstream-2/downstream-2[Deployment]: TCP 8080',
    );
    // Escaping now gains downstream-2 on the other ports only.
    const leaving = after.withPodLabels.find((o) => o.remove.includes('app'))!;
    expect(leaving.opens).toContainEqual({
      peer: 'downstream-2/downstream-2[Deployment]',
      conn: expect.stringContaining('TCP 1-8079,8081-65535'),
    });
    expect(after.notes).toEqual([]);
  });
});
