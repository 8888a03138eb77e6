import { GenerationalClient } from '../workspace/index.ts';
import type { AuthoringRequest, AuthoringResponse } from './protocol.ts';

/**
 * Talks to the authoring worker, where the planner, the connectivity diff and the export run so
 * that a big workspace never freezes the page; superseded replies are dropped.
 */
export class AuthoringClient extends GenerationalClient<AuthoringRequest, AuthoringResponse> {
  constructor() {
    super({
      createWorker: () => new Worker(new URL('./authoring.worker.ts', import.meta.url), { type: 'module' }),
      loadFallback: () => import('./handler.ts').then((m) => m.createAuthoringHandler()),
    });
  }
}

let client: AuthoringClient | undefined;

/** The authoring worker, created on first use (the page loads without the planner). */
export function authoringClient(): AuthoringClient {
  client ??= new AuthoringClient();
  return client;
}
