// SESSION_HEADER: a tab's id for the per-client stream cap (see `clientKey`), shared with the web client.
import { SESSION_HEADER } from '@netpol-atlas/live-protocol';
import type { LaunchToken } from './launchToken.ts';

/** The proxy binds here and nowhere else: it is a local tool, never a network service. */
export const LISTEN_HOST = '127.0.0.1';

/** The header the web client sends the token in (never the URL, which ends up in history and logs). */
export const TOKEN_HEADER = 'x-netpol-atlas-token';

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
export function checkRequest(
  req: RequestFacts,
  port: number,
  token: Pick<LaunchToken, 'check'>,
  limits: RequestLimits,
): Verdict {
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
    const refused = token.check(req.headers[TOKEN_HEADER], TOKEN_HEADER);
    if (refused !== undefined) return { ok: false, status: 401, error: refused };
  }
  return { ok: true };
}

/**
 * The client an event stream counts against: the tab's session id when it sends a well-formed
 * one, else the remote address.
 */
export function clientKey(headers: RequestFacts['headers'], remoteAddress: string | undefined): string {
  const session = headers[SESSION_HEADER];
  if (typeof session === 'string' && /^[A-Za-z0-9_-]{8,128}$/.test(session)) return `session:${session}`;
  return `address:${remoteAddress ?? 'unknown'}`;
}

/** Powerful browser features the app never uses, denied to it and to anything injected into it. */
const DENIED_FEATURES = [
  'accelerometer',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'serial',
  'usb',
];

/**
 * Headers on every response: no framing (clickjacking), no cross-origin embedding of anything
 * served here, no referrer, no camera, microphone, location or device access, and a
 * Content-Security-Policy that keeps the app's own code the only code (so nothing injected
 * could read the token from session storage and send it off).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': DENIED_FEATURES.map((feature) => `${feature}=()`).join(', '),
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

/** What a refusal log line names about a request. */
export interface RefusedRequest {
  method: string | undefined;
  /** The request target as sent (the query is dropped: it may hold anything). */
  url: string | undefined;
  host: string | string[] | undefined;
  origin: string | string[] | undefined;
  status: number;
  reason: string;
}

/**
 * A header or path as one quoted, bounded token: no newline or quote can forge a log line, and
 * `secret` is replaced before cutting, so not even a prefix of it survives.
 */
function quoted(value: string | string[] | undefined, secret: string, max = 200): string {
  if (value === undefined) return '-';
  const joined = Array.isArray(value) ? value.join(', ') : value;
  const text = secret === '' ? joined : joined.split(secret).join('[token]');
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  return JSON.stringify(cut);
}

/**
 * One greppable line per refused request (`refused <METHOD> <path> status=... reason=...
 * host=... origin=...`). The query is left out, and any occurrence of `secret` (the launch
 * token) is replaced, so the token never reaches the terminal or a log file.
 */
export function refusalLine(refused: RefusedRequest, secret: string): string {
  // Requests Node's parser refused have no method or path to name.
  const path = refused.url === undefined ? undefined : (refused.url.split('?')[0] ?? '');
  const method =
    refused.method === undefined || /^[A-Z]{1,16}$/.test(refused.method)
      ? (refused.method ?? '-')
      : quoted(refused.method, secret, 16);
  const q = (value: string | string[] | undefined) => quoted(value, secret);
  return `refused ${method} ${q(path)} status=${refused.status} reason=${q(refused.reason)} host=${q(refused.host)} origin=${q(refused.origin)}`;
}
