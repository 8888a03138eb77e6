import type { ClusterOptions } from '@netpol-atlas/evaluator';
import { DocumentSync, type SyncedFile, UNKNOWN_BASE } from './documentSync.ts';
import { GenerationalClient } from './generationalClient.ts';
import { receiveReply } from './postedModel.ts';
import type { WorkerRequest, WorkerResponse } from './protocol.ts';
import { WorkerRequestError } from './workerError.ts';

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

type AnalyzeReply = Extract<WorkerResponse, { type: 'analyze' }>;

/** Talks to the analysis worker (parse, analyse, lay out, explain, review); stale replies are dropped. */
export class AnalysisClient extends GenerationalClient<WorkerRequest, WorkerResponse> {
  /** Which documents the worker holds, so that an edit sends only what it changed. */
  private readonly documents = new DocumentSync();

  constructor(
    createWorker: () => Worker = compiledWorker,
    loadFallback: () => Promise<(request: WorkerRequest) => Promise<WorkerResponse>> = () =>
      import('./handler.ts').then((m) => m.analysisHandler()),
  ) {
    super({ createWorker, loadFallback, receive: receiveReply });
  }

  /**
   * Analyses `files`, sending the worker only what changed since the documents it holds; a worker
   * that does not hold them (restarted, or sent other documents since) says so, and is then sent
   * every file. Resolves to undefined when a newer analysis superseded this one.
   */
  async analyze(files: readonly SyncedFile[], options: ClusterOptions): Promise<AnalyzeReply | undefined> {
    try {
      return await this.request('analyze', { documents: this.documents.update(files), options });
    } catch (error) {
      if (!(error instanceof WorkerRequestError && error.code === UNKNOWN_BASE)) throw error;
      this.documents.forget();
      return this.request('analyze', { documents: this.documents.update(files), options });
    }
  }
}
