import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useDiffDriver } from '../authoring/index.ts';
import { importFlowFiles, useFlowsDriver } from '../flows/index.ts';
import { FiltersPanel, useAnalysisDriver } from '../graphView/index.ts';
import { savePanels, selectHistoryActions, useStore } from '../store/index.ts';
import { DropZone, useWorkspaceStorage } from '../workspace/index.ts';
import { MainView } from './MainView.tsx';
import { PanelFrame } from './PanelFrame.tsx';
import { SidePanel } from './SidePanel.tsx';
import { StatusBar } from './StatusBar.tsx';
import { type AppServices, ServicesProvider } from './services.tsx';
import { Toolbar } from './Toolbar.tsx';

// The planner, the form and the zip writer load when a dialog first opens, not before the graph.
const AuthoringDialogs = lazy(() =>
  import('../authoring/AuthoringDialogs.tsx').then((m) => ({ default: m.AuthoringDialogs })),
);

/** Undo/redo shortcuts outside text fields (the editor keeps its own undo). */
function useUndoShortcuts(): void {
  const { undo, redo } = useStore(useShallow(selectHistoryActions));
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, .monaco-editor')) return;
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return;
      e.preventDefault();
      if (e.shiftKey) redo();
      else undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo]);
}

/** Remembers which panels are shown and their widths, across reloads (localStorage). */
function usePanelMemory(): void {
  useEffect(
    () =>
      useStore.subscribe((state, previous) => {
        if (state.view.panels !== previous.view.panels) savePanels(state.view.panels);
      }),
    [],
  );
}

/** The application, given the services main.tsx made for the page. */
export function App({ services }: { services: AppServices }) {
  return (
    <ServicesProvider services={services}>
      <Workbench />
    </ServicesProvider>
  );
}

function Workbench() {
  const restored = useWorkspaceStorage();
  useAnalysisDriver();
  useDiffDriver();
  useFlowsDriver();
  useUndoShortcuts();
  usePanelMemory();
  // The saved workspace (or a shared one) is read first, so the demo never shows in its place.
  if (!restored) {
    return (
      <p className="restoring" role="status">
        Opening your workspace…
      </p>
    );
  }
  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        <main className="workspace">
          <PanelFrame panel="filters" edge="right">
            <FiltersPanel />
          </PanelFrame>
          <MainView />
          <PanelFrame panel="side" edge="left">
            <SidePanel />
          </PanelFrame>
        </main>
        <StatusBar />
        <DropZone onFlowFiles={importFlowFiles} />
        <Suspense fallback={null}>
          <AuthoringDialogs />
        </Suspense>
      </div>
    </ReactFlowProvider>
  );
}
