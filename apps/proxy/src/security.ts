import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The proxy binds here and nowhere else: it is a local tool, never a network service. */
export const LISTEN_HOST = '127.0.0.1';

/** The header the web client sends the token in (never the URL, which ends up in history and logs). */
export const TOKEN_HEADER = 'x-netpol-atlas-token';

/** A fresh random token per launch: 256 bits, URL-safe. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so response timing reveals nothing about the token. */
export function tokenMatches(presented: string | string[] | undefined, token: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Host header values the proxy answers to. Anything else is DNS rebinding or a mistake. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** What the checks need to know about a request. */
export interface RequestFacts {
  method?: string | undefined;
  url?: string | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The outcome of the checks: pass, or the status and message to refuse with. */
export type Verdict =
  | { ok: true }
  | { ok: false; status: number; error: string; headers?: Record<string, string> };

/** Request size limits (the header size is limited by the HTTP server itself). */
export interface RequestLimits {
  maxUrlBytes: number;
}

/** True for the API (token required), false for the static web app. */
export function isApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === '/api' || path.startsWith('/api/');
}

/**
 * Every check a request must pass before any handler runs, in one place so each has a test:
 * size, exact Host, GET/HEAD only, exact Origin when one is sent, and for the API a same-origin
 * fetch with the launch token in its header.
 *
 * Browsers send no Origin on same-origin GETs, so a missing Origin is accepted; a cross-site page
 * still cannot call the API: it cannot learn the token, a custom header forces a CORS preflight
 * (OPTIONS, refused here), and `Sec-Fetch-Site` gives cross-site requests away.
 */
export function checkRequest(req: RequestFacts, port: number, token: string, limits: RequestLimits): Verdict {
  const url = req.url ?? '';
  if (Buffer.byteLength(url) > limits.maxUrlBytes) return { ok: false, status: 414, error: 'URL too long' };
  const length = req.headers['content-length'];
  if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) {
    return { ok: false, status: 413, error: 'requests to this proxy carry no body' };
  }
  const host = req.headers.host;
  if (typeof host !== 'string' || !allowedHosts(port).includes(host)) {
    return { ok: false, status: 403, error: 'unexpected Host header' };
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return {
      ok: false,
      status: 405,
      error: 'this proxy is read-only: GET only',
      headers: { Allow: 'GET, HEAD' },
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return { ok: false, status: 403, error: 'cross-origin requests are refused' };
  }
  if (!url.startsWith('/')) return { ok: false, status: 400, error: 'bad request target' };
  if (isApiPath(url)) {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') {
      return { ok: false, status: 403, error: 'cross-site requests are refused' };
    }
    if (!tokenMatches(req.headers[TOKEN_HEADER], token)) {
      return { ok: false, status: 401, error: `missing or wrong ${TOKEN_HEADER} header` };
    }
  }
  return { ok: true };
}

/**
 * Headers on every response: no framing (clickjacking), no cross-origin embedding of anything
 * served here, no referrer, and a Content-Security-Policy that keeps the app's own code the
 * only code (so nothing injected could read the token from session storage and send it off).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
};
