import { compiledWorker } from './client.ts';
import type { FlowsRequest, FlowsResponse } from './flowsHandler.ts';
import { GenerationalClient } from './generationalClient.ts';

/**
 * Talks to the worker holding the compiled workspace about observed traffic: the imported flows
 * live there, next to the workspace that judges them; superseded replies are dropped.
 */
class FlowsClient extends GenerationalClient<FlowsRequest, FlowsResponse> {
  constructor() {
    super({
      createWorker: compiledWorker,
      loadFallback: () => import('./handler.ts').then((m) => m.flowsHandler()),
    });
  }
}

let client: FlowsClient | undefined;

/** The observed-traffic client, created on first use. */
export function flowsClient(): GenerationalClient<FlowsRequest, FlowsResponse> {
  client ??= new FlowsClient();
  return client;
}
