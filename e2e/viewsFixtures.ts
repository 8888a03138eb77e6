// What the views' specs share (views.spec.ts, appearance.spec.ts): the view tabs and downloads.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

/** The tab of one of the main views. */
export function view(page: Page, name: 'Graph' | 'Connections' | 'Matrix') {
  return page.getByRole('tablist', { name: 'Views' }).getByRole('tab', { name });
}

/** The file a click downloads: its suggested name and its bytes. */
export async function download(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}
