import { expect, test } from './fixtures.ts';

// Converting a v1alpha1 set (AdminNetworkPolicy + the BaselineAdminNetworkPolicy singleton) to
// ClusterNetworkPolicies from the More menu: the preview says the evaluator finds the result
// equivalent, Accept replaces the documents (one undoable step) and shows the converted YAML.

const APPS = `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: front, labels: {app: web}}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: batch, namespace: jobs, labels: {app: batch}}
spec: {containers: [{name: c}]}
`;

const CLUSTER = `# Platform policies, v1alpha1
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: shop-guard
spec:
  priority: 10
  subject:
    namespaces:
      matchLabels: {kubernetes.io/metadata.name: shop}
  ingress:
  - name: front-on-http # the only way in
    action: Allow
    from:
    - namespaces:
        matchLabels: {kubernetes.io/metadata.name: front}
    ports:
    - namedPort: http
  - name: no-jobs
    action: Deny
    from:
    - namespaces:
        matchLabels: {kubernetes.io/metadata.name: jobs}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
  subject:
    namespaces: {}
  ingress:
  - action: Deny
    from:
    - namespaces: {}
    ports:
    - portRange: {start: 1, end: 1024}
`;

const LABEL = 'Convert AdminNetworkPolicy/BaselineAdminNetworkPolicy to ClusterNetworkPolicy…';

test('a v1alpha1 set converts to ClusterNetworkPolicies, proven equivalent, and the change is undoable', async ({
  atlas,
  page,
}) => {
  await atlas.open();
  await atlas.dropFiles([
    { name: 'apps.yaml', text: APPS },
    { name: 'cluster.yaml', text: CLUSTER },
  ]);
  await atlas.waitForGraph();
  await expect(atlas.node('shop/api[Pod]')).toBeVisible();
  const edgesBefore = await atlas.edgeIds();

  await atlas.toolbar().getByRole('button', { name: /^More/ }).click();
  await page.getByRole('menu', { name: 'More' }).getByRole('menuitem', { name: LABEL }).click();
  const dialog = page.getByRole('dialog', { name: 'Convert to ClusterNetworkPolicy' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('migrate.equivalence')).toContainText('Equivalent');
  await expect(dialog.getByTestId('migrate.summary')).toHaveText('2 objects converted in 1 file.');
  await expect(dialog.getByRole('list', { name: 'Conversions' })).toContainText(
    'AdminNetworkPolicy/shop-guard → ClusterNetworkPolicy/shop-guard (Admin tier, priority 10)',
  );
  await expect(dialog.getByRole('list', { name: 'Conversions' })).toContainText(
    'BaselineAdminNetworkPolicy/default → ClusterNetworkPolicy/default (Baseline tier, priority 0)',
  );
  const diff = dialog.getByTestId('diff.file.cluster.yaml');
  await expect(diff).toContainText('+ kind: ClusterNetworkPolicy');
  await expect(diff).toContainText('+     action: Accept');
  await expect(diff).toContainText('- kind: AdminNetworkPolicy');
  await page.screenshot({ path: '.test-results/migrate-preview.png' });

  await dialog.getByRole('button', { name: 'Accept conversion' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('editor')).toBeVisible();
  const editorText = page.locator('.monaco-editor .view-lines');
  await expect(editorText).toContainText('kind: ClusterNetworkPolicy');
  await expect(editorText).toContainText('tier: Admin');
  await expect(editorText).not.toContainText('AdminNetworkPolicy');
  await page.screenshot({ path: '.test-results/migrate-accepted.png' });
  // Equivalent: once re-analysed, the graph shows the same connections (polled: the analysis of
  // the accepted documents may still be under way).
  await expect
    .poll(async () => {
      await atlas.waitForGraph();
      return atlas.edgeIds();
    })
    .toEqual(edgesBefore);

  await atlas.toolbar().getByRole('button', { name: 'Undo' }).click();
  await expect(editorText).toContainText('kind: AdminNetworkPolicy');
});

test('the preview says when there is nothing to convert, and offers no Accept', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.toolbar().getByRole('button', { name: /^More/ }).click();
  await page.getByRole('menu', { name: 'More' }).getByRole('menuitem', { name: LABEL }).click();
  const dialog = page.getByRole('dialog', { name: 'Convert to ClusterNetworkPolicy' });
  await expect(dialog.getByTestId('migrate.nothing')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Accept conversion' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});
