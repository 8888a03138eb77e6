import { expect, test } from './authoringFixtures.ts';

const FRONTEND = 'frontend/frontend[Deployment]';
const STORE_API = 'store/store-api[Deployment]';

test('import flows, tighten a workload to them, read the preview, accept the denied flow, and export', async ({
  atlas,
  authoring,
  page,
}) => {
  await atlas.open();
  await atlas.node(FRONTEND).click();
  await page.getByRole('button', { name: 'Tighten to observed…' }).click();
  let dialog = authoring.dialog(`Tighten to observed traffic: ${FRONTEND}`);
  // Nothing to tighten to before a flow file is imported.
  await expect(dialog.getByTestId('tighten.no-flows')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Apply' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await atlas.importFlowSample('Demo flows (Hubble)');
  await expect(page.getByTestId('flows.panel').getByTestId('flows.count.allowed')).toContainText('5 flows');

  await atlas.node(FRONTEND).click();
  await page.getByRole('button', { name: 'Tighten to observed…' }).click();
  dialog = authoring.dialog(`Tighten to observed traffic: ${FRONTEND}`);
  await expect(authoring.list(dialog, 'tighten.kept')).toHaveText([
    `${FRONTEND} → ${STORE_API}: TCP 8080 (23 seen)`,
  ]);
  // frontend's calls on 9090 are refused by store-api's own ingress, outside the scope: the
  // preview says so, and the change cannot be applied until the user accepts it.
  await expect(authoring.list(dialog, 'tighten.denied')).toHaveText([
    `${FRONTEND} → ${STORE_API}: TCP 9090 (3 seen), denied now too: ingress: NetworkPolicy store/store-api selects ${STORE_API} and no rule admits it`,
  ]);
  await expect(authoring.list(dialog, 'plan.removed')).toContainText([
    `${FRONTEND} → default/demo[Deployment]: All Connections`,
  ]);
  await expect(dialog.getByTestId('diff.file.frontend/frontend-observed.yaml')).toContainText(
    'app: store-api',
  );
  const apply = dialog.getByRole('button', { name: 'Apply' });
  await expect(apply).toBeDisabled();
  await dialog.getByRole('checkbox', { name: 'Accept 1 denied observed flow' }).check();
  await apply.click();
  await expect(dialog).toBeHidden();
  await atlas.waitForGraph();

  // The graph follows: frontend reaches store-api on the observed port only (the overlay still
  // marks the accepted denied flow), and nothing else.
  await expect(atlas.edge(FRONTEND, STORE_API)).toHaveAttribute('title', /allowed now: TCP 8080$/);
  await expect(atlas.edge(FRONTEND, 'default/demo[Deployment]')).toHaveCount(0);

  await authoring.toolbar().getByRole('button', { name: 'Export…' }).click();
  const exporting = authoring.dialog('Export policies');
  const zip = await authoring.downloadZip(
    exporting.getByRole('button', { name: 'Download all policies (.zip)' }),
  );
  expect(zip.files['frontend/frontend-observed.yaml']).toContain('port: 8080');
  expect(zip.files['kustomization.yaml']).toContain('  - frontend/frontend-observed.yaml');
});
