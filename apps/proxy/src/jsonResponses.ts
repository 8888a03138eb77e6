// The proxy's JSON answers to the browser: a body or an `ErrorResponse`, never cached, always
// with the security headers.
import type http from 'node:http';
import type { ErrorResponse } from '@netpol-atlas/live-protocol';
import { SECURITY_HEADERS } from './security.ts';

export function sendJson(res: http.ServerResponse, status: number, body: unknown, head: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(head ? undefined : text);
}

export function sendError(
  res: http.ServerResponse,
  status: number,
  error: string,
  head: boolean,
  extra?: Record<string, string>,
): void {
  const body: ErrorResponse = { error };
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(head ? undefined : text);
}
