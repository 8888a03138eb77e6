import type { CniProfile } from '@netpol-atlas/evaluator';
import { AuthoringToolbar } from '../authoring/AuthoringToolbar.tsx';
import { LivePanel } from '../live/LivePanel.tsx';
import { SAMPLES } from '../samples.ts';
import { useStore } from '../store/store.ts';
import { ImportButtons } from './ImportButtons.tsx';
import { SearchBox } from './SearchBox.tsx';

const CNIS: { id: CniProfile; label: string }[] = [
  { id: 'upstream', label: 'Upstream' },
  { id: 'calico', label: 'Calico' },
  { id: 'cilium', label: 'Cilium' },
  { id: 'antrea', label: 'Antrea' },
  { id: 'flannel', label: 'Flannel (enforces nothing)' },
  { id: 'kubenet', label: 'kubenet (enforces nothing)' },
];

/** The top bar: samples, import, search, CNI profile, undo/redo. */
export function Toolbar() {
  const sampleId = useStore((s) => s.documents.sampleId);
  const loadSample = useStore((s) => s.loadSample);
  const cni = useStore((s) => s.view.cni);
  const setCni = useStore((s) => s.setCni);
  const undo = useStore((s) => s.undo);
  const redo = useStore((s) => s.redo);
  const canUndo = useStore((s) => s.history.past.length > 0);
  const canRedo = useStore((s) => s.history.future.length > 0);
  return (
    <header className="toolbar">
      <h1 className="brand">netpol-atlas</h1>
      <label className="field">
        <span>Sample</span>
        <select
          aria-label="Sample"
          value={sampleId ?? ''}
          onChange={(e) => {
            if (e.target.value) loadSample(e.target.value);
          }}
        >
          {sampleId === undefined && <option value="">Your files</option>}
          {SAMPLES.map((s) => (
            <option key={s.id} value={s.id} title={s.description}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
      <ImportButtons />
      <SearchBox />
      <label className="field">
        <span>CNI</span>
        <select aria-label="CNI profile" value={cni} onChange={(e) => setCni(e.target.value as CniProfile)}>
          {CNIS.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <div className="button-group">
        <button
          type="button"
          onClick={undo}
          disabled={!canUndo}
          aria-label="Undo"
          title="Undo (Ctrl+Z outside the editor)"
        >
          ↶ Undo
        </button>
        <button
          type="button"
          onClick={redo}
          disabled={!canRedo}
          aria-label="Redo"
          title="Redo (Ctrl+Shift+Z)"
        >
          ↷ Redo
        </button>
      </div>
      <AuthoringToolbar />
      <LivePanel />
    </header>
  );
}
