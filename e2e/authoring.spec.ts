import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './authoringFixtures.ts';
import { AtlasPage } from './fixtures.ts';

const DEMO = 'default/demo[Deployment]';
const STORE_API = 'store/store-api[Deployment]';
const FRONTEND = 'frontend/frontend[Deployment]';

test('draw an edge, accept it, undo and redo, export the zip, reload and find the work', async ({
  atlas,
  authoring,
  page,
}) => {
  await atlas.open();
  await expect(atlas.edge(DEMO, STORE_API)).toHaveCount(0);

  await authoring.drawEdge(DEMO, STORE_API);
  const dialog = authoring.dialog('Allow a connection');
  await expect(dialog.getByRole('combobox', { name: 'From', exact: true })).toHaveValue(DEMO);
  await expect(dialog.getByRole('combobox', { name: 'To', exact: true })).toHaveValue(STORE_API);
  await expect(dialog.getByLabel('TCP 8080 (http)')).toBeChecked();
  await expect(authoring.list(dialog, 'plan.added')).toHaveText([`${DEMO} → ${STORE_API}: TCP 8080`]);
  await expect(dialog.getByTestId('plan.summary')).toContainText('exactly the drawn edge');
  await expect(dialog.getByTestId('diff.file.demo/policies.yaml')).toContainText(
    'name: allow-demo-to-store-api',
  );
  await expect(dialog.getByTestId('diff.file.demo/policies.yaml')).toContainText(
    'kubernetes.io/metadata.name: default',
  );
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await expect(dialog).toBeHidden();

  await atlas.waitForGraph();
  await expect(atlas.edge(DEMO, STORE_API)).toHaveText('TCP 8080');
  await expect(atlas.tab('YAML')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('editor')).toContainText('allow-demo-to-store-api');

  await page.getByRole('button', { name: 'Undo' }).click();
  await atlas.waitForGraph();
  await expect(atlas.edge(DEMO, STORE_API)).toHaveCount(0);
  await page.getByRole('button', { name: 'Redo' }).click();
  await atlas.waitForGraph();
  await expect(atlas.edge(DEMO, STORE_API)).toHaveText('TCP 8080');

  await authoring.toolbar().getByRole('button', { name: 'Export…' }).click();
  const exporting = authoring.dialog('Export policies');
  const zip = await authoring.downloadZip(
    exporting.getByRole('button', { name: 'Download all policies (.zip)' }),
  );
  expect(zip.name).toBe('netpol-policies.zip');
  expect(Object.keys(zip.files).sort()).toEqual([
    'default/demo-db.yaml',
    'downstream-1/store-to-downstream-1.yaml',
    'kustomization.yaml',
    'store/allow-demo-to-store-api.yaml',
    'store/store-api.yaml',
  ]);
  expect(zip.files['store/allow-demo-to-store-api.yaml']).toContain('port: 8080');
  expect(zip.files['kustomization.yaml']).toContain('  - store/allow-demo-to-store-api.yaml');
  await exporting.getByRole('button', { name: 'Close' }).click();

  await authoring.waitSaved();
  await page.reload();
  await atlas.waitForGraph();
  await expect(atlas.edge(DEMO, STORE_API)).toHaveText('TCP 8080');
});

test('remove an edge from its explanation, then see the change marked on the graph', async ({
  atlas,
  authoring,
  page,
}) => {
  await atlas.open();
  await atlas.edge(FRONTEND, STORE_API).click();
  await page.getByRole('button', { name: 'Remove this connection…' }).click();
  const dialog = authoring.dialog('Remove a connection');
  await expect(dialog.getByRole('region', { name: 'Rules that admit it now' })).toContainText(
    'store/store-api ingress rule 0, peer 0',
  );
  await expect(authoring.list(dialog, 'plan.removed')).toHaveText([`${FRONTEND} → ${STORE_API}: TCP 8080`]);
  await expect(dialog.getByTestId('plan.summary')).toContainText('ingress rule 0 is dropped');
  await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(dialog).toBeHidden();
  await atlas.waitForGraph();
  await expect(atlas.edge(FRONTEND, STORE_API)).toHaveCount(0);

  await authoring.toolbar().getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('diff.summary')).toContainText('+0 added −1 removed ~0 changed');
  await expect(atlas.edge(FRONTEND, STORE_API)).toHaveAttribute('data-diff', 'removed');
  await page.getByRole('button', { name: 'Review changes…' }).click();
  const changes = authoring.dialog('Changes since the baseline');
  await expect(authoring.list(changes, 'changes.removed')).toHaveText([
    `${FRONTEND} → ${STORE_API}: TCP 8080`,
  ]);
  await expect(changes.getByTestId('diff.file.demo/policies.yaml')).toBeVisible();
});

test('presets for a workload and a namespace are previewed and verified', async ({
  atlas,
  authoring,
  page,
}) => {
  await atlas.open();
  await atlas.node(DEMO).click();
  await page.getByRole('button', { name: 'Default-deny ingress…' }).click();
  const deny = authoring.dialog(`Default-deny ingress: ${DEMO}`);
  await expect(authoring.list(deny, 'plan.removed')).not.toHaveCount(0);
  await expect(authoring.list(deny, 'plan.added')).toHaveCount(0);
  await deny.getByRole('button', { name: 'Apply preset' }).click();
  await atlas.waitForGraph();
  await expect(atlas.node(DEMO)).toContainText('in ✓');

  await page
    .getByTestId('graph.namespace.default')
    .getByRole('button', { name: 'Collapse namespace default' })
    .click();
  await atlas.waitForGraph();
  await page.getByTestId('graph.namespace.default').click();
  await atlas.tab('Details').click();
  await page.getByRole('button', { name: 'Default-deny egress, keeping DNS…' }).click();
  const egress = authoring.dialog('Default-deny egress, keeping DNS: namespace default');
  await expect(egress.getByRole('list', { name: 'Warnings' })).toContainText(
    'no kube-dns workload in the files',
  );
  await expect(egress.getByTestId('diff.file.demo/policies.yaml')).toContainText('k8s-app: kube-dns');
  await egress.getByRole('button', { name: 'Cancel' }).click();
  await expect(egress).toBeHidden();
});

test('the policy form shows AND and OR, warns about the trap, and writes the YAML', async ({
  atlas,
  authoring,
  page,
}) => {
  await atlas.open();
  await page.getByRole('button', { name: 'store/store-api', exact: true }).click();
  await page.getByRole('button', { name: 'Edit policy…' }).click();
  const form = authoring.dialog('Edit policy store/store-api');
  await expect(form.getByTestId('form.and')).toHaveCount(3);
  await expect(form.getByTestId('form.or')).toHaveCount(1);
  await expect(form.getByTestId('form.trap')).toHaveCount(0);

  // One missing "-": a namespace-only peer next to a pod-only peer admits far more than meant.
  const peer = form.getByRole('group', { name: /^Ingress rule 1, peer 1/ });
  await peer.getByRole('checkbox', { name: 'Pod selector' }).uncheck();
  await form.getByRole('button', { name: '+ Pods peer' }).first().click();
  await expect(form.getByTestId('form.trap')).toContainText('are alternatives (OR)');
  await form.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Edit policy…' }).click();
  await form.getByLabel('Ingress rule 1 ports: port 1 (number or name; empty for all)').fill('8443');
  await expect(form.getByTestId('diff.file.demo/policies.yaml')).toContainText('port: 8443');
  await form.getByRole('button', { name: 'Apply' }).click();
  await atlas.waitForGraph();
  await expect(atlas.edge(FRONTEND, STORE_API)).toHaveText('TCP 8443');
});

test('an address range can be added and connected; an edge already allowed says so', async ({
  atlas,
  authoring,
}) => {
  await atlas.open();
  await authoring.toolbar().getByRole('button', { name: 'Add address range…' }).click();
  const add = authoring.dialog('Add an address range');
  await add.getByRole('textbox', { name: 'CIDR', exact: true }).fill('10.0.0/8');
  await add.getByRole('button', { name: 'Add range' }).click();
  await expect(add.getByRole('alert')).toContainText('is not a CIDR block');
  await add.getByRole('textbox', { name: 'CIDR', exact: true }).fill('10.0.0.0/8');
  await add.getByRole('button', { name: 'Add range' }).click();
  await atlas.waitForGraph();
  await expect(atlas.node('range:10.0.0.0/8')).toBeVisible();

  const dialog = await authoring.connectWithPickers(DEMO, 'range:10.0.0.0/8');
  await dialog.getByRole('textbox', { name: /^Ports/ }).fill('TCP 443');
  await expect(dialog.getByTestId('plan.failure')).toContainText('is already allowed');
  await dialog.getByRole('checkbox', { name: /Also control egress/ }).check();
  // Already allowed, so nothing is added; the new egress rule isolates demo, and the preview says what it loses.
  await expect(dialog.getByRole('list', { name: 'Warnings' })).toContainText('was not egress-isolated');
  await expect(authoring.list(dialog, 'plan.added')).toHaveCount(0);
  await expect(authoring.list(dialog, 'plan.removed')).not.toHaveCount(0);
  await expect(dialog.getByTestId('diff.file.demo/policies.yaml')).toContainText('cidr: 10.0.0.0/8');
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await atlas.waitForGraph();
  await expect(atlas.edge(DEMO, '10.0.0.0-10.255.255.255[External]')).toHaveText('TCP 443');
  // The range is now analysed: the draft gives way to the range the policy names.
  await expect(atlas.node('range:10.0.0.0/8')).toHaveCount(0);
});

test('a share link opens the workspace elsewhere; a big workspace is refused', async ({
  atlas,
  authoring,
  page,
  browser,
}) => {
  await atlas.open();
  const dialog = await authoring.connectWithPickers(DEMO, STORE_API);
  await expect(authoring.list(dialog, 'plan.added')).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await atlas.waitForGraph();
  await atlas.toolbarAction('Share link…');
  const share = authoring.dialog('Share link');
  const url = await share.getByTestId('share.url').inputValue();
  expect(url).toMatch(/#share=[A-Za-z0-9_-]+$/);
  await share.getByRole('button', { name: 'Close' }).click();

  // Someone else, with nothing saved, opens the link.
  const elsewhere = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const other = new AtlasPage(await elsewhere.newPage());
  await other.page.goto(url);
  await other.waitForGraph();
  await expect(other.edge(DEMO, STORE_API)).toHaveText('TCP 8080');
  await expect(other.page.getByRole('toolbar', { name: 'Authoring' })).toContainText(
    'Opened a shared workspace',
  );
  await expect(other.page.getByRole('button', { name: 'Changes (1)…' })).toBeVisible();
  expect(new URL(other.page.url()).hash).toBe('');
  expect(other.consoleErrors).toEqual([]);
  await elsewhere.close();

  await page.getByRole('combobox', { name: 'Sample' }).selectOption('fifty-workloads');
  await atlas.waitForGraph();
  await atlas.toolbarAction('Share link…');
  await expect(authoring.dialog('Share link').getByTestId('share.refused')).toContainText(
    'too big for a link',
  );
});

test('the authoring dialogs have no serious accessibility violations', async ({ atlas, authoring, page }) => {
  await atlas.open();
  const dialog = await authoring.connectWithPickers(DEMO, STORE_API);
  await expect(authoring.list(dialog, 'plan.added')).toHaveCount(1);
  const scan = async () => {
    const results = await new AxeBuilder({ page }).analyze();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };
  expect(await scan()).toEqual([]);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'store/store-api', exact: true }).click();
  await page.getByRole('button', { name: 'Edit policy…' }).click();
  await expect(authoring.dialog('Edit policy store/store-api')).toBeVisible();
  expect(await scan()).toEqual([]);
});
