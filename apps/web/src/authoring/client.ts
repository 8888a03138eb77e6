import type { AuthoringRequest, AuthoringResponse } from '../workspace/index.ts';
import { compiledWorker, GenerationalClient } from '../workspace/index.ts';

/**
 * Talks to the worker holding the compiled workspace, where the planner, the connectivity diff
 * and the export run (on the same compiled state the graph shows) so that a big workspace never
 * freezes the page; superseded replies are dropped.
 */
export class AuthoringClient extends GenerationalClient<AuthoringRequest, AuthoringResponse> {
  constructor() {
    super({
      createWorker: compiledWorker,
      loadFallback: () => import('../workspace/handler.ts').then((m) => m.authoringHandler()),
    });
  }
}

let client: AuthoringClient | undefined;

/** The authoring client, created on first use. */
export function authoringClient(): AuthoringClient {
  client ??= new AuthoringClient();
  return client;
}
