import { GenerationalClient } from './generationalClient.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';

/** Talks to the analysis worker (parse, analyse, lay out, explain, review); stale replies are dropped. */
export class AnalysisClient extends GenerationalClient<WorkerRequest, WorkerResponse> {
  constructor() {
    super({
      createWorker: () => new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' }),
      loadFallback: () => import('./handler.ts').then((m) => m.createHandler()),
    });
  }
}
