// Bundle figures of the built app (apps/web/dist): what a first visit downloads before anything
// can run (the entry chunk the page loads, gzipped, as a server or CDN sends it) and what the whole
// app weighs once every lazy chunk and worker has been fetched.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One bundle figure, as `pnpm bench --json` prints it. Sizes in KiB. */
export interface BundleFigure {
  name: 'bundle-main-gzip' | 'bundle-total-gzip';
  /** Gzipped size. */
  kb: number;
  /** Size on disk. */
  rawKb: number;
  /** How many files the figure sums. */
  files: number;
  [extra: string]: number | string;
}

const DIST = fileURLToPath(new URL('../apps/web/dist/', import.meta.url));

/** Kinds of files that are code or style the browser runs; samples and images are not counted. */
const CODE = /\.(?:js|mjs|css|wasm)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const KiB = 1024;
const kib = (bytes: number) => Math.round((bytes / KiB) * 10) / 10;

/**
 * Measures the built app in `dist` (default apps/web/dist). The main chunk is the module script
 * index.html loads; the total is every script, stylesheet and WebAssembly file of the build.
 */
export function measureBundle(dist = DIST): BundleFigure[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entry = /<script[^>]*type="module"[^>]*src="([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error(`no module script in ${join(dist, 'index.html')}`);
  const entryPath = join(dist, entry.replace(/^\.?\//, ''));
  const size = (path: string) => {
    const bytes = readFileSync(path);
    return { raw: bytes.length, gzip: gzipSync(bytes).length };
  };
  const main = size(entryPath);
  const code = filesUnder(dist).filter((path) => CODE.test(path));
  let raw = 0;
  let gzip = 0;
  for (const path of code) {
    const one = size(path);
    raw += one.raw;
    gzip += one.gzip;
  }
  return [
    { name: 'bundle-main-gzip', kb: kib(main.gzip), rawKb: kib(main.raw), files: 1, file: entry },
    { name: 'bundle-total-gzip', kb: kib(gzip), rawKb: kib(raw), files: code.length },
  ];
}
