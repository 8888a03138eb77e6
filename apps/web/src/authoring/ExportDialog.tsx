import type { BundleFile } from '@netpol-atlas/authoring';
import { useState } from 'react';
import {
  closeDialogAction,
  markBaselineAction,
  selectBaseline,
  selectFiles,
  useStore,
} from '../store/index.ts';
import { copyText, DialogShell, downloadFile } from '../ui/index.ts';
import { useWorkerQuery } from '../workspace/index.ts';
import { useAuthoringClient } from './client.ts';
import { BUNDLE_FILE_NAME, zipBundle } from './exportZip.ts';
import { PolicyExport } from './PolicyExport.tsx';

const ZIP = 'application/zip';

/** The policies of a bundle (without the kustomization) as one multi-document YAML text. */
function asOneText(files: readonly BundleFile[]): string {
  return files
    .filter((f) => f.path !== 'kustomization.yaml')
    .map((f) => `# ${f.path}\n${f.text}`)
    .join('---\n');
}

/**
 * Export for git: the whole set or the changed policies as a zip laid out as
 * `<namespace>/<policy>.yaml` (cluster-wide policies as `_cluster/<kind>-<name>.yaml`) plus
 * `kustomization.yaml`, or one policy copied or downloaded. A zip
 * export becomes the new baseline: what is now in the repository.
 */
export function ExportDialog() {
  const files = useStore(selectFiles);
  const baseline = useStore(selectBaseline);
  const markBaseline = useStore(markBaselineAction);
  const closeDialog = useStore(closeDialogAction);
  const client = useAuthoringClient();
  const [message, setMessage] = useState<string>();
  const [manualCopy, setManualCopy] = useState<string>();
  // While a newer export is prepared (the baseline moved after a download), the last one stays.
  const query = useWorkerQuery(
    () =>
      client
        .request('export', {
          files: files.map((f) => ({ path: f.path, text: f.text })),
          baseline: baseline.map((f) => ({ path: f.path, text: f.text })),
        })
        .then((reply) => reply && { all: reply.all, changed: reply.changed }),
    [files, baseline],
  );
  const bundles = query.data;
  const error = query.error;

  const policies = (list: readonly BundleFile[]) =>
    list.filter((f) => f.path !== 'kustomization.yaml').length;
  const downloadZip = (list: BundleFile[], name: string) => {
    downloadFile(name, zipBundle(list), ZIP);
    markBaseline();
    setMessage(
      `Downloaded ${name}: ${policies(list)} polic${policies(list) === 1 ? 'y' : 'ies'} and kustomization.yaml. ` +
        'Changes are now compared with this export.',
    );
  };
  const copy = async (text: string, what: string) => {
    if (await copyText(text)) {
      setManualCopy(undefined);
      setMessage(`Copied ${what} to the clipboard.`);
    } else {
      setMessage('The browser refused the clipboard: select the text below and copy it.');
      setManualCopy(text);
    }
  };

  return (
    <DialogShell title="Export policies" wide testId="authoring.export">
      {error && <p className="error">Could not export: {error}</p>}
      {!bundles && !error && <p role="status">Preparing the export…</p>}
      {bundles && (
        <>
          <section aria-label="Every policy" className="export-section">
            <h3>Every policy ({policies(bundles.all)})</h3>
            <p className="hint">
              One file per policy, <code>&lt;namespace&gt;/&lt;name&gt;.yaml</code> (cluster-wide policies
              under <code>_cluster/</code>), and a <code>kustomization.yaml</code> listing them: unzip into
              the repository and <code>kubectl apply -k</code>.
            </p>
            <button
              type="button"
              className="primary"
              onClick={() => downloadZip(bundles.all, BUNDLE_FILE_NAME)}
            >
              Download all policies (.zip)
            </button>
          </section>
          <section aria-label="Changed policies" className="export-section">
            <h3>Changed since the baseline ({policies(bundles.changed)})</h3>
            {bundles.changed.length === 0 ? (
              <p className="muted">No policy differs from the baseline.</p>
            ) : (
              <>
                <ul>
                  {bundles.changed
                    .filter((f) => f.path !== 'kustomization.yaml')
                    .map((f) => (
                      <li key={f.path}>
                        <code>{f.path}</code>
                      </li>
                    ))}
                </ul>
                <div className="button-group">
                  <button
                    type="button"
                    onClick={() => downloadZip(bundles.changed, 'netpol-changed-policies.zip')}
                  >
                    Download changed policies (.zip)
                  </button>
                  <button
                    type="button"
                    onClick={() => void copy(asOneText(bundles.changed), 'the changed policies')}
                  >
                    Copy changed policies
                  </button>
                </div>
              </>
            )}
          </section>
        </>
      )}
      <PolicyExport onCopy={copy} onDownloaded={setMessage} />
      {message && (
        <p role="status" className="notice" data-testid="export.message">
          {message}
        </p>
      )}
      {manualCopy !== undefined && (
        <textarea aria-label="Text to copy" readOnly value={manualCopy} rows={10} className="manual-copy" />
      )}
      <div className="dialog-actions">
        <button type="button" onClick={closeDialog}>
          Close
        </button>
      </div>
    </DialogShell>
  );
}
