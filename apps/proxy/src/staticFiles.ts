import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Marks the page as served by the proxy, so the app shows its live-cluster panel without
 * probing for an API that a static build does not have.
 */
export const PROXY_META = '<meta name="netpol-atlas-proxy" content="1">';

/**
 * Resolves a request path to a file under `root`, or undefined. Decoding happens once, and the
 * result must stay inside the (real) root: `..`, encoded slashes, NUL and dotfiles never resolve.
 */
export async function resolveStatic(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return undefined;
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  try {
    const realRoot = await realpath(root);
    const file = await realpath(join(realRoot, relative));
    if (!file.startsWith(realRoot + sep)) return undefined;
    const info = await stat(file);
    return info.isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Serves the built web app from `root` (GET/HEAD; the checks ran before). */
export async function serveStatic(
  root: string | undefined,
  urlPath: string,
  head: boolean,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  if (root === undefined) {
    const body =
      '<!doctype html><title>netpol-atlas</title><p>The web app is not built. Run <code>pnpm --filter @netpol-atlas/web build</code> and start the proxy again.</p>';
    res.writeHead(urlPath === '/' ? 503 : 404, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(head ? undefined : body);
    return;
  }
  const file = await resolveStatic(root, urlPath);
  if (!file) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(head ? undefined : 'not found');
    return;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  if (extname(file) === '.html') {
    const html = (await readFile(file, 'utf8')).replace(/<head>/i, `<head>${PROXY_META}`);
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Cache-Control': 'no-cache' });
    res.end(head ? undefined : html);
    return;
  }
  const hashed = urlPath.startsWith('/assets/');
  res.writeHead(200, {
    ...headers,
    'Content-Type': type,
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (head) {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
