import type { CniProfile } from '@netpol-atlas/evaluator';
import { useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { AuthoringToolbar } from '../authoring/index.ts';
import { flowImportActions, ImportFlowsButton, importFlowFiles } from '../flows/index.ts';
import { LivePanel } from '../live/index.ts';
import { SearchBox } from '../search/index.ts';
import {
  loadSampleAction,
  SAMPLES,
  selectCanRedo,
  selectCanUndo,
  selectCni,
  selectHistoryActions,
  selectSampleId,
  setCniAction,
  useStore,
} from '../store/index.ts';
import { OVERFLOW_UNIT, useToolbarOverflow } from '../ui/index.ts';
import { ImportButtons } from '../workspace/index.ts';
import { type MenuGroup, OverflowMenu } from './OverflowMenu.tsx';

const CNIS: { id: CniProfile; label: string }[] = [
  { id: 'upstream', label: 'Upstream' },
  { id: 'calico', label: 'Calico' },
  { id: 'cilium', label: 'Cilium' },
  { id: 'antrea', label: 'Antrea' },
  { id: 'ovn-kubernetes', label: 'OVN-Kubernetes' },
  { id: 'flannel', label: 'Flannel (enforces nothing)' },
  { id: 'kubenet', label: 'kubenet (enforces nothing)' },
];

/**
 * Everything that may leave the bar for the "More" menu when the window is narrow, first to
 * go first: resetting, the CNI profile and importing are occasional; drawing and connecting,
 * the everyday authoring actions, stay longest.
 */
const UNITS = [
  'reset',
  'open-folder',
  'flows',
  'cni',
  'open-files',
  'share',
  'range',
  'export',
  'changes',
  'compare',
  'paste',
  'connect',
  'draw',
];

/** The top bar, always one row: samples, search, undo/redo, import, CNI profile, authoring. */
export function Toolbar() {
  const sampleId = useStore(selectSampleId);
  const loadSample = useStore(loadSampleAction);
  const cni = useStore(selectCni);
  const setCni = useStore(setCniAction);
  const { undo, redo } = useStore(useShallow(selectHistoryActions));
  const canUndo = useStore(selectCanUndo);
  const canRedo = useStore(selectCanRedo);
  const bar = useRef<HTMLElement>(null);
  const flowsInput = useRef<HTMLInputElement>(null);
  const overflowed = useToolbarOverflow(bar, UNITS);
  // The CNI choice is a <select> in the bar; in the menu it becomes a group of radio items.
  const custom = useMemo<Record<string, MenuGroup>>(
    () => ({
      // "Import flows…" opens its own menu in the bar; in "More" its choices are listed directly.
      flows: {
        id: 'flows',
        label: 'Import flows',
        entries: flowImportActions(() => flowsInput.current?.click()),
      },
      cni: {
        id: 'cni',
        label: 'CNI profile',
        entries: CNIS.map((c) => ({
          label: c.label,
          kind: 'radio' as const,
          checked: c.id === cni,
          run: () => setCni(c.id),
        })),
      },
    }),
    [cni, setCni],
  );
  const unit = (id: string) => ({
    [OVERFLOW_UNIT]: id,
    className: overflowed.has(id) ? 'overflowed' : undefined,
  });
  return (
    <header className="toolbar" ref={bar}>
      <h1 className="brand">netpol-atlas</h1>
      <select
        aria-label="Sample"
        title="Sample"
        className="sample-select"
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
      <SearchBox />
      <div className="button-group">
        <button
          type="button"
          onClick={undo}
          disabled={!canUndo}
          aria-label="Undo"
          title="Undo (Ctrl+Z outside the editor)"
        >
          ↶
        </button>
        <button
          type="button"
          onClick={redo}
          disabled={!canRedo}
          aria-label="Redo"
          title="Redo (Ctrl+Shift+Z)"
        >
          ↷
        </button>
      </div>
      <AuthoringToolbar overflowed={overflowed} />
      <ImportButtons overflowed={overflowed} onFlowFiles={importFlowFiles} />
      <ImportFlowsButton rootProps={unit('flows')} inputRef={flowsInput} />
      <label {...unit('cni')} className={`field ${overflowed.has('cni') ? 'overflowed' : ''}`}>
        <span>CNI</span>
        <select aria-label="CNI profile" value={cni} onChange={(e) => setCni(e.target.value as CniProfile)}>
          {CNIS.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <OverflowMenu toolbar={bar} hidden={overflowed} custom={custom} />
      <LivePanel />
    </header>
  );
}
