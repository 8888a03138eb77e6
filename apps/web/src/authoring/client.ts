import { createContext, useContext } from 'react';
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

const AuthoringClientContext = createContext<AuthoringClient | undefined>(undefined);

/** Hands the page's one authoring client (made in main.tsx) to the components under it. */
export const AuthoringClientProvider = AuthoringClientContext.Provider;

/** The authoring client of the page; a component outside the provider is a programming error. */
export function useAuthoringClient(): AuthoringClient {
  const client = useContext(AuthoringClientContext);
  if (!client) throw new Error('useAuthoringClient: no AuthoringClientProvider above this component');
  return client;
}
