import { ManifestCache } from '@netpol-atlas/manifests';
import { Workspace } from '@netpol-atlas/workspace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportBundle } from './exportBundle.ts';
import { demo } from './fixtures.test-helper.ts';
import { plan } from './plan.ts';
import { presetDefaultDenyIngress } from './presets.ts';
import { planRemoval } from './removal.ts';
import type { EdgeIntent } from './types.ts';

const INTENT: EdgeIntent = {
  src: { kind: 'workload', id: 'default/demo[Deployment]' },
  dst: { kind: 'workload', id: 'store/store-api[Deployment]' },
  ports: [{ protocol: 'TCP', port: 8080 }],
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('planning on a compiled Workspace', () => {
  it('gives the same plan as the plain files, re-parsing only the files the edit changes', () => {
    const fromFiles = plan({ files: demo, intent: INTENT });
    const workspace = new Workspace(demo, { admission: 'all' });
    workspace.connections();
    const parse = vi.spyOn(ManifestCache.prototype, 'parseFile');
    const fromWorkspace = plan({ workspace, intent: INTENT });
    expect(fromWorkspace).toEqual(fromFiles);
    if (!fromWorkspace.ok) throw new Error(fromWorkspace.message);
    const edited = fromWorkspace.edits.map((e) => e.path).sort();
    expect(edited.length).toBeGreaterThan(0);
    expect(edited.length).toBeLessThan(demo.length);
    expect(parse.mock.calls.map(([file]) => file.path).sort()).toEqual(edited);
  });

  it('leaves the workspace as it was: same revision, same text, same answers', () => {
    const workspace = new Workspace(demo, { admission: 'all' });
    const connections = workspace.connections();
    const revision = workspace.revision;
    const result = plan({ workspace, intent: INTENT });
    expect(result.ok).toBe(true);
    expect(
      planRemoval(workspace, {
        src: INTENT.src,
        dst: { kind: 'workload', id: 'store/store-api[Deployment]' },
      }).ok,
    ).toBeDefined();
    expect(presetDefaultDenyIngress(workspace, { kind: 'namespace', name: 'default' }).ok).toBeDefined();
    expect(workspace.revision).toBe(revision);
    expect(workspace.files).toEqual(demo);
    expect(workspace.connections()).toBe(connections);
  });

  it("uses the workspace's own options, not the plan's", () => {
    const workspace = new Workspace(demo, { cluster: { cni: 'flannel' }, admission: 'all' });
    // Flannel enforces nothing: everything is allowed already, which the plain files' CNI would not say.
    const result = plan({ workspace, intent: INTENT, options: { cluster: { cni: 'upstream' } } });
    expect(result).toMatchObject({ ok: false, reason: 'already-allowed' });
  });

  it('exports the policies of a workspace as of its files', () => {
    const workspace = new Workspace(demo);
    expect(exportBundle(workspace)).toEqual(exportBundle(demo));
  });
});
