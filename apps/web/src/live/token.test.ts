import { describe, expect, it } from 'vitest';
import { servedByProxy, TOKEN_KEY, takeToken } from './token.ts';

const TOKEN = 'A'.repeat(43);

function env(href: string, stored?: string) {
  const url = new URL(href);
  const storage = new Map<string, string>(stored ? [[TOKEN_KEY, stored]] : []);
  const replaced: string[] = [];
  return {
    replaced,
    storage,
    env: {
      location: { pathname: url.pathname, search: url.search, hash: url.hash },
      history: {
        state: { keep: 1 },
        replaceState: (_s: unknown, _t: string, u?: string | URL | null) => void replaced.push(String(u)),
      },
      storage: {
        getItem: (k: string) => storage.get(k) ?? null,
        setItem: (k: string, v: string) => void storage.set(k, v),
      },
    },
  };
}

describe('takeToken', () => {
  it('takes the token from the fragment and removes it from the address bar at once', () => {
    const t = env(`http://127.0.0.1:4180/#token=${TOKEN}`);
    expect(takeToken(t.env)).toBe(TOKEN);
    expect(t.replaced).toEqual(['/']);
    expect(t.storage.get(TOKEN_KEY)).toBe(TOKEN);
  });

  it('also from the query, keeping the other parameters', () => {
    const t = env(`http://127.0.0.1:4180/?a=1&token=${TOKEN}#x=2`);
    expect(takeToken(t.env)).toBe(TOKEN);
    expect(t.replaced).toEqual(['/?a=1#x=2']);
  });

  it('falls back to the token kept for reloads, and refuses malformed ones', () => {
    expect(takeToken(env('http://127.0.0.1:4180/', TOKEN).env)).toBe(TOKEN);
    expect(takeToken(env('http://127.0.0.1:4180/').env)).toBeUndefined();
    const bad = env('http://127.0.0.1:4180/#token=a%0Ab');
    expect(takeToken(bad.env)).toBeUndefined();
    expect(bad.replaced).toEqual(['/']); // still removed from the address bar
  });

  it('detects the page the proxy served', () => {
    expect(
      servedByProxy({
        querySelector: (s: string) => (s.includes('netpol-atlas-proxy') ? ({} as Element) : null),
      }),
    ).toBe(true);
    expect(servedByProxy({ querySelector: () => null })).toBe(false);
  });
});
