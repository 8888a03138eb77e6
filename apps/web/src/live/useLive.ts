import { useSyncExternalStore } from 'react';
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

let client: LiveClient | undefined;

/**
 * The page's live client, created on first use. Creating it takes the token out of the address
 * bar, so the first render of the live panel (in the toolbar) does it before anything else.
 */
export function liveClient(): LiveClient {
  if (client) return client;
  const storage = sessionStore();
  const token = typeof window === 'undefined' ? undefined : takeToken({ location, history, storage });
  client = new LiveClient({
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

/**
 * The live cluster connection: `{ state, contexts, files, lastSync, error, missingPermissions, ... }`
 * plus the client for actions (connect, disconnect, workOffline, select).
 */
export function useLive(): LiveSnapshot & { client: LiveClient } {
  const live = liveClient();
  const snapshot = useSyncExternalStore(live.subscribe, live.getSnapshot, live.getSnapshot);
  return { ...snapshot, client: live };
}
