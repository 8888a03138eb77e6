import { policyYaml } from '@netpol-atlas/authoring';
import { useState } from 'react';
import { selectFiles, selectPolicies, selectSelection, useDerived, useStore } from '../store/index.ts';
import { downloadFile } from '../ui/index.ts';

/** Copy or download one policy as its own file (comments kept, namespace written out). */
export function PolicyExport({
  onCopy,
  onDownloaded,
}: {
  onCopy: (text: string, what: string) => Promise<void>;
  onDownloaded: (message: string) => void;
}) {
  const policies = useDerived(selectPolicies);
  const files = useStore(selectFiles);
  const selection = useStore(selectSelection);
  const [id, setId] = useState(selection?.kind === 'policy' ? selection.id : (policies[0]?.id ?? ''));
  const policy = policies.find((p) => p.id === id);
  // Only the policy's own file is parsed: exporting one policy stays instant in a big workspace.
  const file = files.find((f) => f.path === policy?.source?.file);
  const text = policy && file ? policyYaml([file], policy.id) : undefined;
  return (
    <section aria-label="One policy" className="export-section">
      <h3>One policy</h3>
      {policies.length === 0 ? (
        <p className="muted">There are no policies yet.</p>
      ) : (
        <div className="row">
          <label className="stacked">
            <span>Policy</span>
            <select aria-label="Policy to export" value={id} onChange={(e) => setId(e.target.value)}>
              {policies.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.id}
                </option>
              ))}
            </select>
          </label>
          <div className="button-group bottom">
            <button type="button" disabled={!text} onClick={() => text && void onCopy(text, policy!.id)}>
              Copy YAML
            </button>
            <button
              type="button"
              disabled={!text}
              onClick={() => {
                if (!text || !policy) return;
                downloadFile(`${policy.name}.yaml`, text, 'application/yaml');
                onDownloaded(`Downloaded ${policy.name}.yaml.`);
              }}
            >
              Download .yaml
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
