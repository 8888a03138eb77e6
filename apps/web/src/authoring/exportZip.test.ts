import { readdirSync, readFileSync } from 'node:fs';
import { applyFileEdits, exportBundle, plan } from '@netpol-atlas/authoring';
import { describe, expect, it } from 'vitest';
import { unzipTexts, zipBundle } from './exportZip.ts';

function demo(): { path: string; text: string }[] {
  const dir = new URL('../../../../public/demo/', import.meta.url);
  return readdirSync(dir)
    .sort()
    .map((name) => ({ path: `demo/${name}`, text: readFileSync(new URL(name, dir), 'utf8') }));
}

describe('the export zip', () => {
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
