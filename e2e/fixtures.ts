import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

/** The demo's files, read from the repository as the app bundles them. */
export function demoFiles(): { id: string; path: string; text: string }[] {
  const dir = fileURLToPath(new URL('../public/demo/', import.meta.url));
  return readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((n) => ({ id: `demo/${n}`, path: `demo/${n}`, text: readFileSync(`${dir}${n}`, 'utf8') }));
}

/** Page object for the app: what a user sees and does, by role and accessible name first. */
export class AtlasPage {
  readonly consoleErrors: string[] = [];
  readonly foreignRequests: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(e.message));
    page.on('request', (r) => {
      const url = new URL(r.url());
      const local = url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:';
      if (!local) this.foreignRequests.push(r.url());
    });
  }

  async open(): Promise<void> {
    await this.page.goto('/');
    await this.waitForGraph();
  }

  /** Waits until the analysis and the layout of the current documents are on screen. */
  async waitForGraph(): Promise<void> {
    await expect(this.page.getByTestId('graph')).toHaveAttribute('data-ready', 'true');
  }

  node(id: string): Locator {
    return this.page.getByTestId(`graph.node.${id}`);
  }

  edge(source: string, target: string): Locator {
    return this.page.getByTestId(`graph.edge.${source}->${target}`);
  }

  /** Ids of every edge drawn on the canvas. */
  async edgeIds(): Promise<string[]> {
    const ids = await this.page
      .locator('[data-testid^="graph.edge."]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('graph.edge.'.length)));
    return ids.sort();
  }

  async nodeIds(): Promise<string[]> {
    const ids = await this.page
      .locator('[data-testid^="graph.node."]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('graph.node.'.length)));
    return ids.sort();
  }

  tab(name: 'Details' | 'YAML' | 'Problems' | 'Findings'): Locator {
    return this.page.getByRole('tab', { name: new RegExp(`^${name}`) });
  }

  /** A side panel's frame (`filters` or `side`): `data-open` says whether it is shown. */
  panel(name: 'filters' | 'side'): Locator {
    return this.page.getByTestId(`panel.${name}`);
  }

  /** The top bar (the page's banner). */
  toolbar(): Locator {
    return this.page.getByRole('banner');
  }

  /** Runs a toolbar action, from the bar when it is there, else from its "More" menu. */
  async toolbarAction(name: string): Promise<void> {
    const inline = this.toolbar().getByRole('button', { name, exact: true });
    if (await inline.isVisible()) {
      await inline.click();
      return;
    }
    await this.toolbar().getByRole('button', { name: /^More/ }).click();
    await this.page.getByRole('menu', { name: 'More' }).getByRole('menuitem', { name, exact: true }).click();
  }

  /** Imports a bundled flow sample by its title, from the bar's "Import flows…" or from "More". */
  async importFlowSample(title: string): Promise<void> {
    const inline = this.toolbar().getByRole('button', { name: 'Import flows…', exact: true });
    if (await inline.isVisible()) {
      await inline.click();
      await this.page.getByRole('menuitem', { name: `Sample: ${title}` }).click();
      return;
    }
    await this.toolbar().getByRole('button', { name: /^More/ }).click();
    await this.page
      .getByRole('menu', { name: 'More' })
      .getByRole('menuitem', { name: `Flows sample: ${title}`, exact: true })
      .click();
  }

  async pasteManifests(text: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Paste YAML…' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Paste manifests' });
    await dialog.getByLabel('Manifests to paste').fill(text);
    await dialog.getByRole('button', { name: 'Add to workspace' }).click();
    await expect(dialog).toBeHidden();
  }

  /** Drops files on the window the way a file manager does. */
  async dropFiles(files: { name: string; text: string }[]): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'application/yaml' }));
      return dt;
    }, files);
    await this.page.dispatchEvent('body', 'dragenter', { dataTransfer });
    await this.page.dispatchEvent('body', 'dragover', { dataTransfer });
    await this.page.dispatchEvent('body', 'drop', { dataTransfer });
  }
}

export const test = base.extend<{ atlas: AtlasPage }>({
  atlas: async ({ page }, use) => {
    const atlas = new AtlasPage(page);
    await use(atlas);
    // Every test also checks the app stayed quiet and local.
    expect(atlas.consoleErrors, 'console errors').toEqual([]);
    expect(atlas.foreignRequests, 'requests leaving 127.0.0.1').toEqual([]);
  },
});

export { expect };
