import type { ReactNode } from 'react';
import { AuthoringClient, AuthoringClientProvider } from '../authoring/index.ts';
import { createLiveClient, LiveClientProvider } from '../live/index.ts';
import { WorkspaceStorage, WorkspaceStorageProvider } from '../workspace/index.ts';

/** What the page holds for its whole life besides the store: made once, in main.tsx, and handed down. */
export interface AppServices {
  authoring: AuthoringClient;
  live: ReturnType<typeof createLiveClient>;
  storage: WorkspaceStorage;
}

/** The page's services. Call once: the live client takes the token out of the address bar. */
export function createServices(): AppServices {
  return { authoring: new AuthoringClient(), live: createLiveClient(), storage: new WorkspaceStorage() };
}

/** Puts each service in its feature's context, so components and hooks below can use it. */
export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return (
    <WorkspaceStorageProvider value={services.storage}>
      <AuthoringClientProvider value={services.authoring}>
        <LiveClientProvider value={services.live}>{children}</LiveClientProvider>
      </AuthoringClientProvider>
    </WorkspaceStorageProvider>
  );
}
