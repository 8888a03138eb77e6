import { plural } from '@netpol-atlas/evaluator';
import { lazy, Suspense } from 'react';
import { DetailsPanel } from '../details/index.ts';
import { FindingsPanel, ProblemsPanel } from '../review/index.ts';
import type { SidePanel as Panel } from '../store/index.ts';
import { selectProblems, selectSidePanel, showPanelAction, useDerived, useStore } from '../store/index.ts';

// Monaco is large: load it when the editor is first shown, not before the graph.
const EditorPane = lazy(() => import('../editor/EditorPane.tsx').then((m) => ({ default: m.EditorPane })));

const TABS: { id: Panel; label: string }[] = [
  { id: 'details', label: 'Details' },
  { id: 'editor', label: 'YAML' },
  { id: 'problems', label: 'Problems' },
  { id: 'findings', label: 'Findings' },
];

/** The right-hand panel: details and explanations, the YAML editor, the problems list. */
export function SidePanel() {
  const panel = useStore(selectSidePanel);
  const showPanel = useStore(showPanelAction);
  const problems = useDerived(selectProblems);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  return (
    <aside className="side-panel" aria-label="Side panel">
      <div role="tablist" aria-label="Panels" className="tabs">
        {TABS.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={panel === tab.id}
            aria-controls={`panel-${tab.id}`}
            className={`tab ${panel === tab.id ? 'active' : ''}`}
            onClick={() => showPanel(tab.id)}
          >
            {tab.label}
            {tab.id === 'problems' && errors + warnings > 0 && (
              <span
                className={`pill ${errors > 0 ? 'error' : 'warning'}`}
                title={`${plural(errors, 'error')}, ${plural(warnings, 'warning')}`}
              >
                {errors + warnings}
                <span className="sr-only">
                  {' '}
                  {plural(errors + warnings, 'problem')}: {plural(errors, 'error')},{' '}
                  {plural(warnings, 'warning')}
                </span>
              </span>
            )}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${panel}`} aria-labelledby={`tab-${panel}`} className="panel-body">
        {panel === 'details' && <DetailsPanel />}
        {panel === 'problems' && <ProblemsPanel />}
        {panel === 'findings' && <FindingsPanel />}
        {panel === 'editor' && (
          <Suspense fallback={<p role="status">Loading the editor…</p>}>
            <EditorPane />
          </Suspense>
        )}
      </div>
    </aside>
  );
}
