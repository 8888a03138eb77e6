import { create } from 'zustand';
import { type FlowsView, flowsClient } from '../workspace/index.ts';
import { forgetImportedFlows, rememberImportedFlows } from './lostFlows.ts';
import { type FlowSource, type StreamProgress, streamFlowFile } from './streamFlowFile.ts';

/** Which overlay states are drawn. */
export interface FlowFilter {
  allowed: boolean;
  denied: boolean;
  unobserved: boolean;
}

/**
 * The observed-traffic overlay: the import in progress, and the worker's judgement of the
 * imported flows for the analysis shown (a cache, never edited). The flows themselves live in
 * the worker only.
 */
export interface FlowsState {
  status: 'idle' | 'reading' | 'judging' | 'ready' | 'failed';
  /** The file being read or last read. */
  name: string | undefined;
  progress: StreamProgress | undefined;
  view: FlowsView | undefined;
  error: string | undefined;
  /** The overlay is drawn (it can be hidden without forgetting the flows). */
  show: boolean;
  filter: FlowFilter;
}

export const useFlows = create<FlowsState>()(() => ({
  status: 'idle',
  name: undefined,
  progress: undefined,
  view: undefined,
  error: undefined,
  show: true,
  filter: { allowed: true, denied: true, unobserved: true },
}));

let running: { controller: AbortController; done: Promise<unknown> } | undefined;
let nextImport = 1;

/** Reading or judging flows failed: the panel says why, the console keeps the stack (the worker's, for a failed request). */
export function flowsFailed(error: unknown): void {
  console.error(error);
  const message = error instanceof Error ? error.message : String(error);
  useFlows.setState({ status: 'failed', error: message, progress: undefined });
}

/** Asks the worker to judge the imported flows by the revision it holds (after an import, after each analysis). */
export async function refreshFlowReport(): Promise<void> {
  const reply = await flowsClient().request('flowsReport', {});
  // undefined: a newer request superseded this one; its answer is on its way.
  if (!reply) return;
  useFlows.setState(
    reply.view
      ? { status: 'ready', view: reply.view, error: undefined }
      : { status: 'idle', view: undefined },
  );
}

/**
 * Imports a flow file: streamed into the worker with progress, then judged. A second import
 * cancels the first; the flows it replaces stay until the new ones are read.
 */
export async function importFlows(source: FlowSource): Promise<void> {
  if (running) {
    running.controller.abort();
    await running.done;
  }
  const controller = new AbortController();
  const id = nextImport++;
  useFlows.setState({
    status: 'reading',
    name: source.name,
    progress: { bytes: 0, size: source.size, lines: 0, records: 0, diagnosticCount: 0 },
    error: undefined,
  });
  const done = streamFlowFile(
    source,
    id,
    async (step) => (await flowsClient().request('flowsImport', { step }))?.progress,
    (progress) => {
      if (!controller.signal.aborted) useFlows.setState({ progress });
    },
    controller.signal,
  );
  running = { controller, done: done.catch(() => undefined) };
  try {
    const outcome = await done;
    if (outcome === 'cancelled') {
      useFlows.setState((s) => ({ status: s.view ? 'ready' : 'idle', progress: undefined }));
      return;
    }
    useFlows.setState({ status: 'judging', show: true });
    await refreshFlowReport();
    const view = useFlows.getState().view;
    if (view) rememberImportedFlows({ name: view.name, records: view.totals.records });
  } catch (error) {
    flowsFailed(error);
  } finally {
    if (running?.done === done || running?.controller === controller) running = undefined;
  }
}

/** Stops the import in progress (between two chunks). */
export function cancelFlowImport(): void {
  running?.controller.abort();
}

/** Shows or hides one state of the overlay. */
export function setFlowFilter(filter: Partial<FlowFilter>): void {
  useFlows.setState((s) => ({ filter: { ...s.filter, ...filter } }));
}

/** Shows or hides the whole overlay. */
export function showFlows(show: boolean): void {
  useFlows.setState({ show });
}

/** Forgets the overlay on the page (the worker keeps its copy until the next import or a reload). */
export function closeFlows(): void {
  forgetImportedFlows();
  useFlows.setState({
    status: 'idle',
    view: undefined,
    name: undefined,
    progress: undefined,
    error: undefined,
  });
}
