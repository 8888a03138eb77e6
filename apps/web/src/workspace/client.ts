import { GenerationalClient } from './generationalClient.ts';
import { receiveReply } from './postedModel.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

let compiled: Worker | undefined;

/**
 * The one worker holding the compiled workspace: the analysis client and the authoring client
 * both talk to it, so the documents are compiled once (each client sees only its own replies).
 */
export function compiledWorker(): Worker {
  compiled ??= new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
  return compiled;
}

/** A worker of its own for layout, which needs no compiled state. */
export function layoutWorker(): Worker {
  return new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
}

/** Talks to the analysis worker (parse, analyse, lay out, explain, review); stale replies are dropped. */
export class AnalysisClient extends GenerationalClient<WorkerRequest, WorkerResponse> {
  constructor(createWorker: () => Worker = compiledWorker) {
    super({
      createWorker,
      loadFallback: () => import('./handler.ts').then((m) => m.analysisHandler()),
      receive: receiveReply,
    });
  }
}
