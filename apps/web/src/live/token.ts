/** Where the token is kept for reloads of this tab (and only this tab, only this origin). */
export const TOKEN_KEY = 'netpol-atlas.proxy-token';

/** The header the proxy reads the token from. */
export const TOKEN_HEADER = 'X-Netpol-Atlas-Token';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

/** The parts of `window` this module touches, so tests can pass fakes. */
export interface TokenEnv {
  location: Pick<Location, 'pathname' | 'search' | 'hash'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
}

/**
 * Takes the launch token from the address the proxy printed (`#token=…`, or `?token=…`) and
 * removes it from the address bar at once with `history.replaceState`, so it does not stay in
 * history, bookmarks or screenshots. It is kept in session storage for reloads of this tab.
 * Returns the token to send, if any.
 */
export function takeToken(env: TokenEnv): string | undefined {
  const hash = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  const query = new URLSearchParams(env.location.search);
  const found = hash.get('token') ?? query.get('token');
  if (found !== null) {
    hash.delete('token');
    query.delete('token');
    const search = query.toString();
    const fragment = hash.toString();
    env.history.replaceState(
      env.history.state,
      '',
      `${env.location.pathname}${search ? `?${search}` : ''}${fragment ? `#${fragment}` : ''}`,
    );
    if (TOKEN_SHAPE.test(found)) {
      try {
        env.storage?.setItem(TOKEN_KEY, found);
      } catch {
        // Storage may be disabled: the token still works until the tab reloads.
      }
      return found;
    }
    return undefined;
  }
  try {
    const stored = env.storage?.getItem(TOKEN_KEY) ?? undefined;
    return stored !== undefined && TOKEN_SHAPE.test(stored) ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** True when the proxy served this page (it marks index.html); a static build has no API. */
export function servedByProxy(doc: Pick<Document, 'querySelector'>): boolean {
  return doc.querySelector('meta[name="netpol-atlas-proxy"]') !== null;
}
