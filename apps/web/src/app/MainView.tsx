import './views.css';
import { useState } from 'react';
import { ConnectionsTable } from '../connections/index.ts';
import { useViewLink } from '../deepLink/index.ts';
import { ImageExportMenu } from '../exportImage/index.ts';
import { GraphView } from '../graphView/index.ts';
import { NamespaceMatrixView } from '../matrix/index.ts';
import type { MainView as View } from '../store/index.ts';
import { selectMainView, showViewAction, useStore } from '../store/index.ts';

const VIEWS: { id: View; label: string }[] = [
  { id: 'graph', label: 'Graph' },
  { id: 'connections', label: 'Connections' },
  { id: 'matrix', label: 'Matrix' },
];

/**
 * The main area: the graph, or its textual twins (every connection as a table, the namespace
 * matrix). Also keeps the address bar's link in step with the view.
 *
 * Once shown, the graph stays mounted under the other views, hidden (at its size, so React Flow
 * keeps measuring and culling as before) and inert: unmounting it reset React Flow's store, which
 * on a 10,000-workload overview was a long task on every switch to a table, and coming back
 * drew it all again.
 */
export function MainView() {
  useViewLink();
  const main = useStore(selectMainView);
  const showView = useStore(showViewAction);
  const [keepGraph, setKeepGraph] = useState(main === 'graph');
  if (main === 'graph' && !keepGraph) setKeepGraph(true);
  return (
    <div className="main-view">
      <div className="view-bar">
        <div role="tablist" aria-label="Views" className="tabs">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              id={`view-tab-${v.id}`}
              aria-selected={main === v.id}
              aria-controls="main-view-panel"
              className={`tab ${main === v.id ? 'active' : ''}`}
              onClick={() => showView(v.id)}
            >
              {v.label}
            </button>
          ))}
        </div>
        {main === 'graph' && <ImageExportMenu />}
      </div>
      <div
        role="tabpanel"
        id="main-view-panel"
        aria-labelledby={`view-tab-${main}`}
        className="main-view-body"
      >
        {keepGraph && (
          <div className={`graph-layer ${main === 'graph' ? '' : 'behind'}`} inert={main !== 'graph'}>
            <GraphView />
          </div>
        )}
        {main === 'connections' && <ConnectionsTable />}
        {main === 'matrix' && <NamespaceMatrixView />}
      </div>
    </div>
  );
}
