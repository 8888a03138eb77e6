// Browser figures for big clusters: how long 2,000 and 10,000 workloads take from "files picked"
// to an interactive graph, the longest main-thread task while loading, typing in the editor and
// opening the findings, and how long one namespace of the big overview takes to expand. Serves
// the built app (apps/web/dist) from a tiny local static server and drives Debian's Chromium with
// Playwright.
import { createReadStream, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
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
    // As the proxy serves the app: Vite's hashed assets are immutable, the rest is revalidated.
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Writes a generated cluster as files the app's file picker can take. */
function clusterFiles(options: { workloads: number; namespaces: number; policies: number }): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-ui-bench-'));
  const files = generateCluster({ ...options, podsPerWorkload: 1, seed: 2000 });
  return files.map((f, i) => {
    const path = join(dir, `${String(i).padStart(4, '0')}-${f.path.replaceAll('/', '_')}`);
    writeFileSync(path, f.text);
    return path;
  });
}

/** Long-task durations observed on the page since `from` (an index into the page's list). */
type TaskLog = { count(): Promise<number>; since(from: number): Promise<number[]> };

/**
 * Opens the built app in a fresh browser, picks `paths` in its file picker and waits until the
 * graph is interactive with `workloads` workloads; then hands the page to `measure`.
 */
async function withLoadedApp<T>(
  paths: readonly string[],
  workloads: number,
  measure: (page: Page, load: { ms: number; tasks: number[] }, tasks: TaskLog) => Promise<T>,
): Promise<T> {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('apps/web/dist is missing: run `pnpm --filter @netpol-atlas/web build`');
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
    const tasks: TaskLog = {
      count: () => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.length),
      since: async (from) =>
        (await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks)).slice(from),
    };
    const before = await tasks.count();
    const started = Date.now();
    await page.getByTestId('import.files').setInputFiles([...paths]);
    await page.waitForFunction(
      (n) => {
        const graph = document.querySelector('[data-testid="graph"]');
        return (
          graph?.getAttribute('data-ready') === 'true' &&
          document.body.textContent?.includes(`${n} workloads`)
        );
      },
      // The status bar groups digits ("2,000 workloads"), as plural() does.
      workloads.toLocaleString('en'),
      { timeout: 180_000 },
    );
    const ms = Date.now() - started;
    const loadTasks = await tasks.since(before);
    if (process.env.BENCH_DEBUG)
      console.error(`${workloads} loaded in ${ms} ms; long tasks ${loadTasks.map(Math.round).join(',')}`);
    return await measure(page, { ms, tasks: loadTasks }, tasks);
  } finally {
    await browser.close();
    server.close();
  }
}

const heapMB = async (page: Page) =>
  Math.round(
    (await page.evaluate(
      () =>
        ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) /
        2 ** 20,
    )) * 10,
  ) / 10;
const longest = (tasks: readonly number[]) => Math.round(Math.max(0, ...tasks));

/**
 * ui-load-2000 and ui-longest-task: 2,000 workloads in 120 namespaces, then typing in the editor
 * and opening the findings of that cluster.
 */
async function measureMidSize(): Promise<UiFigure[]> {
  const options = { workloads: 2000, namespaces: 120, policies: 1200 };
  return withLoadedApp(
    clusterFiles(options),
    options.workloads,
    async (page, load, tasks): Promise<UiFigure[]> => {
      // Pan and zoom once to be sure the graph responds, then type in the editor.
      await page.mouse.move(700, 400);
      await page.mouse.wheel(0, -400);
      const beforeTyping = await tasks.count();
      await page.getByRole('tab', { name: /^YAML/ }).click();
      const editor = page.locator('.monaco-editor').first();
      await editor.waitFor();
      await editor.click({ position: { x: 200, y: 80 } });
      await page.keyboard.type('# typing while 2,000 workloads are loaded\n', { delay: 15 });
      await page.waitForSelector('[data-testid="graph"][data-ready="true"]');
      const typingTasks = await tasks.since(beforeTyping);
      const heap = await heapMB(page);
      // The findings panel of that cluster: hundreds of findings to list.
      const beforeFindings = await tasks.count();
      await page.getByRole('tab', { name: /^Findings/ }).click();
      await page.waitForSelector('[data-testid="findings"] li', { timeout: 60_000 });
      await page.waitForTimeout(500);
      const findingsTasks = await tasks.since(beforeFindings);
      const findingsShown = await page.locator('[data-testid="findings"] > li').count();
      return [
        {
          name: 'ui-load-2000',
          ms: load.ms,
          peakMB: heap,
          workloads: options.workloads,
          namespaces: options.namespaces,
          longTasks: load.tasks.length,
        },
        {
          name: 'ui-longest-task',
          ms: longest([...load.tasks, ...typingTasks, ...findingsTasks]),
          peakMB: heap,
          duringLoad: longest(load.tasks),
          duringTyping: longest(typingTasks),
          openingFindings: longest(findingsTasks),
          findingsShown,
        },
      ];
    },
  );
}

/**
 * ui-open-connections and ui-open-matrix: from a click on the view's tab to its first rows (or
 * cells) on screen, with the cells the page then holds (what a virtualised view keeps small).
 * ui-select-connection, ui-select-matrix-pair, ui-select-workload and ui-select-graph-edge: from a
 * click on a row of the table, a pair of a matrix cell, a workload or an edge of the graph to its
 * details on screen (the explanation, or the connections behind an aggregated edge), with the
 * longest task on the way. ui-reopen-connections: the table opened again from the graph once a
 * workload's edges are drawn.
 */
async function measureViews(
  page: Page,
  tasks: TaskLog,
): Promise<{ name: string; ms: number; longestTask: number; domCells?: number }[]> {
  const views = page.getByRole('tablist', { name: 'Views' });
  // UI_TRACE_VIEWS=dir records a Chromium trace of each step below as dir/<figure>.json.
  const traced = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const dir = process.env.UI_TRACE_VIEWS;
    const browser = page.context().browser();
    if (!dir || !browser) return step();
    await browser.startTracing(page, { path: join(dir, `${name}.json`), screenshots: false });
    try {
      return await step();
    } finally {
      await browser.stopTracing();
    }
  };
  const open = (name: string, tab: string, ready: string, counted: string) =>
    traced(name, async () => {
      const before = await tasks.count();
      const started = Date.now();
      await views.getByRole('tab', { name: tab }).click();
      await page.waitForSelector(ready, { timeout: 120_000 });
      const ms = Date.now() - started;
      const domCells = await page.locator(counted).count();
      return { name, ms, longestTask: longest(await tasks.since(before)), domCells };
    });
  // The clock runs from the click to `shown` holding in the page.
  const select = (name: string, click: () => Promise<void>, shown: () => Promise<unknown>) =>
    traced(name, async () => {
      const before = await tasks.count();
      const started = Date.now();
      await click();
      await shown();
      const ms = Date.now() - started;
      return { name, ms, longestTask: longest(await tasks.since(before)) };
    });
  // The explanation of the pair `src -> dst` in the details panel.
  const explained = (src: string, dst: string) =>
    page.waitForFunction(
      ([s, d]) => {
        const pair = document.querySelector('[data-testid="explain"] .pair')?.textContent ?? '';
        return pair.includes(`${s} →`) && pair.includes(`→ ${d}`);
      },
      [src, dst],
      { timeout: 60_000 },
    );
  const openConnections = await open(
    'ui-open-connections',
    'Connections',
    '[data-testid^="connections.row."]',
    'td',
  );
  // The tenth row: not the first, which a panel may have shown already.
  const row = page.locator('[data-testid^="connections.row."]').nth(9);
  const [rowSource, rowTarget] = await row
    .locator('td')
    .evaluateAll((cells) => cells.slice(0, 2).map((c) => c.getAttribute('title') ?? ''));
  const selectConnection = await select(
    'ui-select-connection',
    () => row.click(),
    () => explained(rowSource!, rowTarget!),
  );
  if (process.env.UI_SHOT) await page.screenshot({ path: process.env.UI_SHOT });
  const openMatrix = await open('ui-open-matrix', 'Matrix', '[data-testid^="matrix.cell."]', 'td, th');
  // A cell of two different namespaces with some pairs allowed.
  const cell = page
    .locator('[data-testid^="matrix.cell."]')
    .filter({ hasNot: page.locator('.matrix-count', { hasText: /^0$/ }) })
    .nth(1);
  await cell.click();
  const pair = page.getByRole('region', { name: 'Workload pairs' }).getByRole('button').first();
  const [pairSource, pairTarget] = ((await pair.textContent()) ?? '').replace(/^Explain /, '').split(' → ');
  const selectPair = await select(
    'ui-select-matrix-pair',
    () => pair.click(),
    () => explained(pairSource!.trim(), pairTarget!.trim()),
  );
  await views.getByRole('tab', { name: 'Graph' }).click();
  await page.waitForSelector('[data-testid="graph"][data-ready="true"]');
  // An edge between two collapsed namespaces: the connections behind it are listed.
  // Past the drawing limit the overview draws the edges of the selection only: a workload of the
  // expanded namespace first, then one of its edges to a collapsed namespace, whose connections
  // are listed.
  const workload = page.locator('[data-testid^="graph.node."][data-testid*="/"]').first();
  await workload.scrollIntoViewIfNeeded();
  const selectWorkload = await select(
    'ui-select-workload',
    () => workload.click(),
    () => page.waitForSelector('section[aria-label="Workload details"]', { timeout: 60_000 }),
  );
  const edge = page.locator('.react-flow__edge[data-testid*="ns:"]').first();
  await edge.waitFor({ state: 'attached' });
  const selectEdge = await select(
    'ui-select-graph-edge',
    () => edge.dispatchEvent('click'),
    () => page.waitForSelector('[data-testid="edge.pairs.count"]', { timeout: 60_000 }),
  );
  const reopen = await open(
    'ui-reopen-connections',
    'Connections',
    '[data-testid^="connections.row."]',
    'td',
  );
  return [openConnections, selectConnection, openMatrix, selectPair, selectWorkload, selectEdge, reopen];
}

/**
 * ui-load-10000 and ui-expand-namespace: 10,000 workloads in 600 namespaces, which the app shows
 * as the collapsed overview; then one namespace expanded, until its workloads are drawn.
 */
async function measureLarge(): Promise<UiFigure[]> {
  const options = { workloads: 10_000, namespaces: 600, policies: 6000 };
  return withLoadedApp(
    clusterFiles(options),
    options.workloads,
    async (page, load, tasks): Promise<UiFigure[]> => {
      const expand = page.locator('[aria-label^="Expand namespace "]').first();
      const namespace = ((await expand.getAttribute('aria-label')) ?? '').replace('Expand namespace ', '');
      // UI_TRACE=file.json records a Chromium performance trace of the expansion (open it in
      // the DevTools Performance panel) to see where its time goes.
      // Resolved before the clock starts: finding it is Playwright querying a big DOM, whose
      // tasks on the page are not the app's.
      const button = await expand.elementHandle();
      if (!button) throw new Error('no namespace to expand');
      await button.scrollIntoViewIfNeeded();
      const trace = process.env.UI_TRACE;
      const browser = page.context().browser();
      if (trace && browser) await browser.startTracing(page, { path: trace, screenshots: false });
      const beforeExpand = await tasks.count();
      const started = Date.now();
      await button.click();
      await page.waitForFunction(
        (ns) =>
          document.querySelector('[data-testid="graph"]')?.getAttribute('data-ready') === 'true' &&
          document.querySelector(`[data-testid^="graph.node.${ns}/"]`) !== null,
        namespace,
        { timeout: 60_000 },
      );
      const expandMs = Date.now() - started;
      if (trace && browser) await browser.stopTracing();
      const expandTasks = await tasks.since(beforeExpand);
      const workloadsShown = await page.locator(`[data-testid^="graph.node.${namespace}/"]`).count();
      // UI_SCREENSHOT=file.png keeps a picture of the expanded namespace, to look at.
      if (process.env.UI_SCREENSHOT) await page.screenshot({ path: process.env.UI_SCREENSHOT });
      const heap = await heapMB(page);
      const views = await measureViews(page, tasks);
      return [
        {
          name: 'ui-load-10000',
          ms: load.ms,
          peakMB: heap,
          workloads: options.workloads,
          namespaces: options.namespaces,
          longestTask: longest(load.tasks),
          longTasks: load.tasks.length,
        },
        {
          name: 'ui-expand-namespace',
          ms: expandMs,
          peakMB: heap,
          namespace,
          workloadsShown,
          longestTask: longest(expandTasks),
        },
        ...views.map((v) => ({ ...v, peakMB: heap })),
      ];
    },
  );
}

/**
 * ui-first-paint: the embedded demo opened a second time in one browser (its assets in the HTTP
 * cache), from navigation to the first contentful paint; with the cold load's paint and the time
 * until the demo's graph is drawn.
 */
async function measureFirstPaint(): Promise<UiFigure[]> {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('apps/web/dist is missing: run `pnpm --filter @netpol-atlas/web build`');
  const server = await serveDist();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 950 } });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const open = async () => {
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForSelector('[data-testid="graph"][data-ready="true"]', { timeout: 60_000 });
      const { paint, ready } = await page.evaluate(() => ({
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        ready: performance.now(),
      }));
      await page.close();
      return { paint: Math.round(paint), ready: Math.round(ready) };
    };
    const cold = await open();
    const warm = await open();
    return [
      { name: 'ui-first-paint', ms: warm.paint, peakMB: 0, coldMs: cold.paint, graphReadyMs: warm.ready },
    ];
  } finally {
    await browser.close();
    server.close();
  }
}

/** The browser figures whose names `wanted` accepts, each scenario in a fresh browser. */
export async function measureUi(wanted: (name: string) => boolean = () => true): Promise<UiFigure[]> {
  const figures: UiFigure[] = [];
  if (wanted('ui-first-paint')) figures.push(...(await measureFirstPaint()));
  if (wanted('ui-load-2000') || wanted('ui-longest-task')) figures.push(...(await measureMidSize()));
  const large = [
    'ui-load-10000',
    'ui-expand-namespace',
    'ui-open-connections',
    'ui-select-connection',
    'ui-open-matrix',
    'ui-select-matrix-pair',
    'ui-select-workload',
    'ui-select-graph-edge',
    'ui-reopen-connections',
  ];
  if (large.some(wanted)) figures.push(...(await measureLarge()));
  return figures.filter((f) => wanted(f.name));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.slice(2);
  for (const f of await measureUi((name) => only.length === 0 || only.includes(name)))
    console.log(JSON.stringify(f));
}
