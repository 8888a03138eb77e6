import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyFileEdits, exportBundle, plan } from '@netpol-atlas/authoring';
import { parseManifests } from '@netpol-atlas/manifests';
import { describe, expect, it } from 'vitest';
import { unzipTexts, zipBundle } from './exportZip.ts';

function demo(): { path: string; text: string }[] {
  const dir = new URL('../../../../public/demo/', import.meta.url);
  return readdirSync(dir)
    .sort()
    .map((name) => ({ path: `demo/${name}`, text: readFileSync(new URL(name, dir), 'utf8') }));
}

const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

/** The resources a kustomization lists (the `- path` lines under `resources:`). */
function listedResources(kustomization: string): string[] {
  const lines = kustomization.split('\n');
  const start = lines.indexOf('resources:');
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^ {2}- (.+)$/.exec(line);
    if (!item) break;
    out.push(item[1]!);
  }
  return out;
}

/**
 * Unzips into a fresh folder as a user would, checks that the kustomization lists exactly the
 * policy files there, and lets kubectl build it (the same code path as `kubectl apply -k`).
 */
function checkAppliable(zip: Uint8Array, options: { kubectl: boolean }): void {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-export-'));
  try {
    const files = unzipTexts(zip);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const listed = listedResources(files['kustomization.yaml']!);
    for (const path of listed)
      expect(existsSync(join(dir, path)), `${path} is listed and unzipped`).toBe(true);
    expect(listed.sort()).toEqual(
      Object.keys(files)
        .filter((p) => p !== 'kustomization.yaml')
        .sort(),
    );
    if (!options.kubectl || !KUBECTL) return;
    const built = execFileSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8' });
    const objects = parseManifests([{ path: 'built.yaml', text: built }]).objects;
    expect(objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(
      listed.map((p) => p.replace(/\.yaml$/, '')).sort(),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function withNewPolicy(): {
  baseline: { path: string; text: string }[];
  files: { path: string; text: string }[];
} {
  const baseline = demo();
  const result = plan({
    files: baseline,
    intent: {
      src: { kind: 'workload', id: 'default/demo[Deployment]' },
      dst: { kind: 'workload', id: 'store/store-api[Deployment]' },
      ports: [{ protocol: 'TCP', port: 8080 }],
    },
  });
  if (!result.ok) throw new Error(result.message);
  return { baseline, files: applyFileEdits(baseline, result.edits) };
}

describe('the export zip', () => {
  it('is self-consistent for every policy and for the changed ones: each listed file is in it', () => {
    const { baseline, files } = withNewPolicy();
    checkAppliable(zipBundle(exportBundle(files)), { kubectl: false });
    checkAppliable(zipBundle(exportBundle(files, { changedOnly: true, baseline })), { kubectl: false });
  });

  // The reason is in the name: kubectl (Debian package `kubectl`) is needed to run kustomize.
  it.skipIf(!KUBECTL)('builds with `kubectl kustomize` (skipped when kubectl is not installed)', () => {
    const { baseline, files } = withNewPolicy();
    checkAppliable(zipBundle(exportBundle(files)), { kubectl: true });
    checkAppliable(zipBundle(exportBundle(files, { changedOnly: true, baseline })), { kubectl: true });
  });

  it('holds <namespace>/<policy>.yaml per policy and a kustomization listing them', () => {
    const unzipped = unzipTexts(zipBundle(exportBundle(demo())));
    expect(Object.keys(unzipped).sort()).toEqual([
      'default/demo-db.yaml',
      'downstream-1/store-to-downstream-1.yaml',
      'kustomization.yaml',
      'store/store-api.yaml',
    ]);
    expect(unzipped['kustomization.yaml']).toBe(
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        '  - default/demo-db.yaml',
        '  - downstream-1/store-to-downstream-1.yaml',
        '  - store/store-api.yaml',
        '',
      ].join('\n'),
    );
    // The policy keeps the comment written above it in the source file.
    expect(unzipped['default/demo-db.yaml']).toMatch(/^# demo-db accepts connections only from demo pods/);
    expect(unzipped['default/demo-db.yaml']).toContain('name: demo-db');
  });

  it('after drawing an edge, the changed-only zip carries just the new policy', () => {
    const baseline = demo();
    const result = plan({
      files: baseline,
      intent: {
        src: { kind: 'workload', id: 'default/demo[Deployment]' },
        dst: { kind: 'workload', id: 'store/store-api[Deployment]' },
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const files = applyFileEdits(baseline, result.edits);
    const unzipped = unzipTexts(zipBundle(exportBundle(files, { changedOnly: true, baseline })));
    expect(Object.keys(unzipped).sort()).toEqual([
      'kustomization.yaml',
      'store/allow-demo-to-store-api.yaml',
    ]);
    expect(unzipped['store/allow-demo-to-store-api.yaml']).toContain('kubernetes.io/metadata.name: default');
    expect(unzipped['kustomization.yaml']).toContain('  - store/allow-demo-to-store-api.yaml');
  });
});
