// Browser figures for big clusters: how long 2,000 workloads in 120 namespaces take from "files
// picked" to an interactive graph, and the longest main-thread task while loading and while
// typing in the editor. Serves the built app (apps/web/dist) from a tiny local static server and
// drives Debian's Chromium with Playwright.
import { createReadStream, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { generateCluster } from './synthetic.ts';

/** One measured figure, as `pnpm bench --json` prints it. */
export interface UiFigure {
  name: string;
  ms: number;
  peakMB: number;
  [extra: string]: number | string;
}

const DIST = fileURLToPath(new URL('../apps/web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.yaml': 'text/yaml',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

function serveDist(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    let file = join(DIST, path);
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory())
      file = join(DIST, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Loads a generated cluster through the app's file picker and measures it. */
export async function measureUi(options: {
  workloads: number;
  namespaces: number;
  policies: number;
}): Promise<UiFigure[]> {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('apps/web/dist is missing: run `pnpm --filter @netpol-atlas/web build`');
  const dir = mkdtempSync(join(tmpdir(), 'netpol-ui-bench-'));
  const files = generateCluster({ ...options, podsPerWorkload: 1, seed: 2000 });
  const paths = files.map((f, i) => {
    const path = join(dir, `${String(i).padStart(3, '0')}-${f.path.replaceAll('/', '_')}`);
    writeFileSync(path, f.text);
    return path;
  });
  const server = await serveDist();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 950 } });
    page.on('crash', () => console.error('the page crashed'));
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    const port = (server.address() as AddressInfo).port;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForSelector('[data-testid="graph"][data-ready="true"]');
    const taskCount = () =>
      page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.length);
    const tasksSince = async (from: number) =>
      (await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks)).slice(from);

    const before = await taskCount();
    const started = Date.now();
    await page.getByTestId('import.files').setInputFiles(paths);
    await page.waitForFunction(
      (n) => {
        const graph = document.querySelector('[data-testid="graph"]');
        return (
          graph?.getAttribute('data-ready') === 'true' &&
          document.body.textContent?.includes(`${n} workloads`)
        );
      },
      options.workloads,
      { timeout: 60_000 },
    );
    const loadMs = Date.now() - started;
    const loadTasks = await tasksSince(before);
    if (process.env.BENCH_DEBUG)
      console.error(`loaded in ${loadMs} ms; long tasks ${loadTasks.map(Math.round).join(',')}`);

    // Pan and zoom once to be sure the graph responds, then type in the editor.
    await page.mouse.move(700, 400);
    await page.mouse.wheel(0, -400);
    const beforeTyping = await taskCount();
    await page.getByRole('tab', { name: /^YAML/ }).click();
    const editor = page.locator('.monaco-editor').first();
    await editor.waitFor();
    await editor.click({ position: { x: 200, y: 80 } });
    await page.keyboard.type('# typing while 2,000 workloads are loaded\n', { delay: 15 });
    await page.waitForSelector('[data-testid="graph"][data-ready="true"]');
    const typingTasks = await tasksSince(beforeTyping);
    const heapMB = await page.evaluate(
      () =>
        ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) /
        2 ** 20,
    );
    // The findings panel of that cluster: hundreds of findings to list.
    const beforeFindings = await taskCount();
    await page.getByRole('tab', { name: /^Findings/ }).click();
    await page.waitForSelector('[data-testid="findings"] li', { timeout: 60_000 });
    await page.waitForTimeout(500);
    const findingsTasks = await tasksSince(beforeFindings);
    const findingsShown = await page.locator('[data-testid="findings"] > li').count();
    const longest = Math.max(0, ...loadTasks, ...typingTasks, ...findingsTasks);
    return [
      {
        name: 'ui-load-2000',
        ms: loadMs,
        peakMB: Math.round(heapMB * 10) / 10,
        workloads: options.workloads,
        namespaces: options.namespaces,
        longTasks: loadTasks.length,
      },
      {
        name: 'ui-longest-task',
        ms: Math.round(longest),
        peakMB: Math.round(heapMB * 10) / 10,
        duringLoad: Math.round(Math.max(0, ...loadTasks)),
        duringTyping: Math.round(Math.max(0, ...typingTasks)),
        openingFindings: Math.round(Math.max(0, ...findingsTasks)),
        findingsShown,
      },
    ];
  } finally {
    await browser.close();
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await measureUi({ workloads: 2000, namespaces: 120, policies: 1200 });
  for (const f of figures) console.log(JSON.stringify(f));
}
