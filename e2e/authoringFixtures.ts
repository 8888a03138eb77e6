import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { unzipTexts } from '../apps/web/src/authoring/exportZip.ts';
import { type AtlasPage, test as base, expect } from './fixtures.ts';

/** Page object for authoring: drawing edges, the preview dialogs, export, persistence. */
export class AuthoringPage {
  constructor(
    readonly page: Page,
    readonly atlas: AtlasPage,
  ) {}

  toolbar(): Locator {
    return this.page.getByRole('toolbar', { name: 'Authoring' });
  }

  dialog(name: string): Locator {
    return this.page.getByRole('dialog', { name });
  }

  /** Turns on draw mode and drags from the source node's handle to the target node's handle. */
  async drawEdge(source: string, target: string): Promise<void> {
    const toggle = this.toolbar().getByRole('button', { name: /Draw connection/ });
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
    const from = this.atlas.node(source).locator('.react-flow__handle.source');
    const to = this.atlas.node(target).locator('.react-flow__handle.target');
    await from.hover();
    await this.page.mouse.down();
    const box = (await to.boundingBox())!;
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 12 });
    await this.page.mouse.up();
  }

  /** The keyboard path: the Connect… dialog with its From and To pickers. */
  async connectWithPickers(source: string, target: string): Promise<Locator> {
    await this.toolbar().getByRole('button', { name: 'Connect…' }).click();
    const dialog = this.dialog('Allow a connection');
    await dialog.getByRole('combobox', { name: 'From', exact: true }).selectOption(source);
    await dialog.getByRole('combobox', { name: 'To', exact: true }).selectOption(target);
    return dialog;
  }

  /** Items of a preview list (`plan.added`, `plan.removed`, …) as text. */
  list(scope: Locator, testId: string): Locator {
    return scope.getByTestId(testId).getByRole('listitem');
  }

  async waitSaved(): Promise<void> {
    await expect(this.page.getByTestId('workspace.save')).toHaveText('Saved in this browser');
  }

  /** Clicks a button that downloads a zip, and returns the zip's files as text by path. */
  async downloadZip(button: Locator): Promise<{ name: string; files: Record<string, string> }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    const path = await download.path();
    return { name: download.suggestedFilename(), files: unzipTexts(new Uint8Array(readFileSync(path))) };
  }
}

export const test = base.extend<{ authoring: AuthoringPage }>({
  authoring: async ({ page, atlas }, use) => {
    await use(new AuthoringPage(page, atlas));
  },
});

export { expect };
