import { expect, test } from './fixtures.ts';

test('the findings panel lists the demo risks and follows a finding to its YAML', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.tab('Findings').click();
  const list = page.getByTestId('findings');
  const spoof = list.getByTestId(
    'finding.NPA-NS-LABEL-SPOOF:downstream-1/store-to-downstream-1/ingress[0].from[0]',
  );
  // The notes' warning: a namespace label other than kubernetes.io/metadata.name can be set by anyone who labels namespaces.
  await expect(spoof).toContainText('trusts namespace label(s) app=store');
  await expect(list.getByText('default/demo[Deployment] is open to ingress from everywhere')).toBeVisible();
  await spoof.getByRole('button', { name: /^demo\/policies\.yaml:\d+$/ }).click();
  await expect(atlas.tab('YAML')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('editor')).toBeVisible();
});

test('severity filter narrows the list', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.tab('Findings').click();
  const items = page.getByTestId('findings').getByRole('listitem');
  await expect(items.first()).toBeVisible();
  const all = await items.count();
  await page.getByLabel('At least').selectOption('high');
  await expect.poll(() => items.count()).toBeLessThan(all);
  for (const text of await items.allInnerTexts()) expect(text).toMatch(/^(critical|high) /i);
});

test('what-if shows the label that opens another destination', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.tab('Findings').click();
  const whatIf = page.getByRole('region', { name: 'Compromised workload what-if' });
  await whatIf.getByLabel('Workload').fill('frontend/frontend[Deployment]');
  const result = page.getByTestId('what-if');
  await expect(result).toContainText('If it could label its namespace');
  // store-to-downstream-1 trusts namespaces labelled app=store.
  await expect(result).toContainText('add app=store → reaches downstream-1/downstream-1[Deployment]');
});

test('a finding with a preset fix opens the verified preset preview', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.tab('Findings').click();
  const finding = page.getByTestId('findings').getByTestId('finding.NPA-NO-DEFAULT-DENY-INGRESS:default');
  await finding.getByText('Why it matters').click();
  await finding.getByRole('button', { name: 'Apply fix…' }).click();
  await expect(page.getByTestId('authoring.preset')).toBeVisible();
});
