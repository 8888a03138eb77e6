import { createContext, useContext, useSyncExternalStore } from 'react';
import { useStore } from '../store/index.ts';
import { LiveClient, type LiveSnapshot } from './liveClient.ts';
import { applySnapshot } from './liveWorkspace.ts';
import { servedByProxy, takeToken } from './token.ts';

const CONTEXT_KEY = 'netpol-atlas.live-context';

function sessionStore(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * The page's live client, made once in main.tsx before the first render: making it takes the
 * token out of the address bar before anything else can see or share it.
 */
export function createLiveClient(): LiveClient {
  const storage = sessionStore();
  const token = typeof window === 'undefined' ? undefined : takeToken({ location, history, storage });
  const client = new LiveClient({
    fetch: (input, init) => fetch(input, init),
    token,
    available: typeof document !== 'undefined' && servedByProxy(document),
    apply: (files, previous, context) => applySnapshot(useStore, files, previous, context),
    remembered: storage?.getItem(CONTEXT_KEY) ?? undefined,
    remember: (context) => {
      try {
        if (context === undefined) storage?.removeItem(CONTEXT_KEY);
        else storage?.setItem(CONTEXT_KEY, context);
      } catch {
        // Reconnecting after a reload is a convenience only.
      }
    },
  });
  void client.init();
  return client;
}

const LiveClientContext = createContext<LiveClient | undefined>(undefined);

/** Hands the page's live client to the components under it. */
export const LiveClientProvider = LiveClientContext.Provider;

/**
 * The live cluster connection: `{ state, contexts, files, lastSync, error, missingPermissions, ... }`
 * plus the client for actions (connect, disconnect, workOffline, select).
 */
export function useLive(): LiveSnapshot & { client: LiveClient } {
  const live = useContext(LiveClientContext);
  if (!live) throw new Error('useLive: no LiveClientProvider above this component');
  const snapshot = useSyncExternalStore(live.subscribe, live.getSnapshot, live.getSnapshot);
  return { ...snapshot, client: live };
}
