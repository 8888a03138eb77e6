// How the app looks and reads beyond its data: graph images and the report, dark mode, and the
// accessibility checks of the views in either scheme.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { compileWorkspace } from '../apps/web/src/workspace/compileWorkspace.ts';
import { demoFiles, expect, test } from './fixtures.ts';
import { download, view } from './viewsFixtures.ts';

const FRONTEND = 'frontend/frontend[Deployment]';
const STORE_API = 'store/store-api[Deployment]';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('graph images', () => {
  async function exportImage(page: Page, label: string) {
    await page.getByText('Export image').click();
    return download(page, () => page.getByRole('button', { name: label }).click());
  }

  test('the whole graph as SVG holds every workload and connection; PNGs are real images', async ({
    atlas,
    page,
  }) => {
    const model = compileWorkspace(demoFiles()).model;
    await atlas.open();
    const svg = await exportImage(page, 'Whole graph as SVG');
    expect(svg.name).toBe('netpol-graph.svg');
    const text = svg.bytes.toString('utf8');
    expect(text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(text.match(/data-edge="/g)?.length).toBe(model.edges.length);
    for (const node of model.nodes) expect(text).toContain(`<title>${node.id}</title>`);

    for (const [label, name] of [
      ['Whole graph as PNG', 'netpol-graph.png'],
      ['Current view as PNG', 'netpol-graph-view.png'],
    ] as const) {
      const png = await exportImage(page, label);
      expect(png.name).toBe(name);
      expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(200);
      expect(png.bytes.readUInt32BE(20)).toBeGreaterThan(100);
    }
    // The current view is what the canvas shows: after zooming in on one node it holds fewer.
    await page.getByTestId('graph').hover();
    for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom In' }).click();
    const viewSvg = (await exportImage(page, 'Current view as SVG')).bytes.toString('utf8');
    expect(viewSvg.match(/<g data-id="/g)?.length ?? 0).toBeLessThan(text.match(/<g data-id="/g)!.length);
  });

  test('the HTML review report embeds the graph', async ({ atlas, page }) => {
    await atlas.open();
    await atlas.tab('Findings').click();
    await expect(page.getByTestId('findings').getByRole('listitem').first()).toBeVisible();
    const report = await download(page, () => page.getByRole('button', { name: 'Export HTML' }).click());
    const html = report.bytes.toString('utf8');
    expect(html).toContain('<h2>Connectivity graph</h2>');
    expect(html.indexOf('<svg')).toBeLessThan(html.indexOf('<h2>Summary</h2>'));
    expect(html).toContain(`data-edge="${FRONTEND}-&#62;${STORE_API}"`);
  });
});

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('follows the OS setting everywhere, and contrast stays readable', async ({ atlas, page }) => {
    // Six full axe runs and the editor's first load: generous, as the shared machine can be slow.
    test.setTimeout(240_000);
    await atlas.open();
    const background = await page.evaluate(
      () => getComputedStyle(document.querySelector('.side-panel')!).backgroundColor,
    );
    expect(background).toBe('rgb(22, 27, 34)');
    const canvas = await page.evaluate(() =>
      getComputedStyle(document.querySelector('.react-flow')!)
        .getPropertyValue('--xy-background-color')
        .trim(),
    );
    expect(canvas).not.toBe('');
    expect(await seriousViolations(page)).toEqual([]);

    await atlas.edge(FRONTEND, STORE_API).click();
    await expect(page.getByTestId('explain.verdict')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await view(page, 'Connections').click();
    await expect(page.getByRole('table')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await view(page, 'Matrix').click();
    await page.getByTestId('matrix.cell.frontend.store').click();
    expect(await seriousViolations(page)).toEqual([]);

    await atlas.tab('Findings').click();
    await expect(page.getByTestId('findings').getByRole('listitem').first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await atlas.tab('YAML').click();
    // Monaco is a big chunk: on a busy machine it can take a while to arrive.
    await expect(page.locator('.monaco-editor.vs-dark')).toBeVisible({ timeout: 45_000 });

    await page.getByRole('button', { name: 'Paste YAML…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Paste manifests' });
    await expect(dialog).toBeVisible();
    expect(await dialog.evaluate((d) => getComputedStyle(d).backgroundColor)).toBe('rgb(22, 27, 34)');
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test.describe('dark mode, authoring', () => {
  test.use({ colorScheme: 'dark' });

  test('the plan preview, its diff and the policy form stay readable', async ({ atlas, page }) => {
    test.setTimeout(180_000);
    await atlas.open();
    await page.getByRole('button', { name: 'Connect…' }).click();
    const connect = page.getByRole('dialog', { name: 'Allow a connection' });
    await connect
      .getByRole('combobox', { name: 'From', exact: true })
      .selectOption('default/demo[Deployment]');
    await connect.getByRole('combobox', { name: 'To', exact: true }).selectOption(STORE_API);
    await expect(connect.getByTestId('plan.added').getByRole('listitem')).toHaveCount(1);
    expect(await seriousViolations(page)).toEqual([]);
    await connect.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'store/store-api', exact: true }).click();
    await page.getByRole('button', { name: 'Edit policy…' }).click();
    await expect(page.getByRole('dialog', { name: 'Edit policy store/store-api' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

test('the table and the matrix pass axe in the light scheme too', async ({ atlas, page }) => {
  await atlas.open();
  await view(page, 'Connections').click();
  await expect(page.getByRole('table')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await view(page, 'Matrix').click();
  await page.getByTestId('matrix.cell.frontend.store').click();
  expect(await seriousViolations(page)).toEqual([]);
});
