import { mkdirSync } from 'node:fs';
import { compileWorkspace } from '../apps/web/src/workspace/compileWorkspace.ts';
import { expect, test } from './authoringFixtures.ts';
import { demoFiles } from './fixtures.ts';

const DEMO = 'default/demo[Deployment]';
const STORE_API = 'store/store-api[Deployment]';
const FRONTEND = 'frontend/frontend[Deployment]';
const ACCEPT = 'admin-accept-default-demo-to-store-store-api';
const DENY = 'admin-deny-frontend-frontend-to-store-store-api';

test('author an Admin Accept and a cluster-wide Deny, then export a set that applies on its own', async ({
  atlas,
  authoring,
  page,
}) => {
  await atlas.open();
  await expect(atlas.edge(DEMO, STORE_API)).toHaveCount(0);

  // Allow demo -> store-api with an Admin tier Accept.
  const connect = await authoring.connectWithPickers(DEMO, STORE_API);
  await connect.getByRole('radio', { name: /Cluster-wide, Admin tier/ }).check();
  await expect(connect.getByRole('checkbox', { name: /Also control egress/ })).toHaveCount(0);
  await expect(authoring.list(connect, 'plan.added')).toHaveText([`${DEMO} → ${STORE_API}: TCP 8080`]);
  await expect(connect.getByTestId('plan.summary')).toContainText('in the Admin tier');
  await expect(connect.getByTestId('plan.summary')).toContainText('exactly the drawn edge');
  const newFile = connect.getByTestId('diff.file.cluster-policies.yaml');
  await expect(newFile).toContainText('new file');
  await expect(newFile).toContainText('kind: ClusterNetworkPolicy');
  await expect(newFile).toContainText('tier: Admin');
  await expect(newFile).toContainText('kubernetes.io/metadata.name: store');
  await expect(newFile).toContainText('number: 8080');
  mkdirSync('.test-results', { recursive: true });
  await connect.screenshot({ path: '.test-results/tier-connect-dialog.png' });
  await connect.getByRole('button', { name: 'Accept' }).click();
  await expect(connect).toBeHidden();
  await atlas.waitForGraph();
  // The edge says which tier decided it: the new Admin Accept.
  await expect(atlas.edge(DEMO, STORE_API)).toHaveAttribute('title', 'TCP 8080, decided by the Admin tier');

  // Deny frontend -> store-api cluster-wide from the edge's details.
  await expect(atlas.edge(FRONTEND, STORE_API)).toHaveAttribute('title', /^TCP 8080, decided by /);
  await atlas.edge(FRONTEND, STORE_API).click();
  await page.getByRole('button', { name: 'Deny cluster-wide…' }).click();
  const deny = authoring.dialog('Deny a connection cluster-wide');
  await expect(authoring.list(deny, 'plan.removed')).toHaveText([`${FRONTEND} → ${STORE_API}: TCP 8080`]);
  await expect(deny.getByTestId('plan.summary')).toContainText('only the edge');
  const denyFile = deny.getByTestId('diff.file.cluster-policies.yaml');
  await expect(denyFile).not.toContainText('new file');
  await expect(denyFile).toContainText('action: Deny');
  // 100 is the Accept's: the Deny takes a free priority, never a shared one.
  await expect(denyFile).toContainText('priority: 110');
  await deny.screenshot({ path: '.test-results/tier-deny-dialog.png' });
  await deny.getByRole('button', { name: 'Deny', exact: true }).click();
  await expect(deny).toBeHidden();
  await atlas.waitForGraph();
  await expect(atlas.edge(FRONTEND, STORE_API)).toHaveCount(0);
  await expect(atlas.edge(DEMO, STORE_API)).toHaveAttribute('title', 'TCP 8080, decided by the Admin tier');

  await authoring.toolbar().getByRole('button', { name: 'Export…' }).click();
  const exporting = authoring.dialog('Export policies');
  const zip = await authoring.downloadZip(
    exporting.getByRole('button', { name: 'Download all policies (.zip)' }),
  );
  const paths = Object.keys(zip.files).sort();
  expect(paths).toContain(`_cluster/clusternetworkpolicy-${ACCEPT}.yaml`);
  expect(paths).toContain(`_cluster/clusternetworkpolicy-${DENY}.yaml`);
  // Self-consistent: the kustomization lists exactly the other files of the zip.
  const kustomization = zip.files['kustomization.yaml']!;
  const resources = kustomization
    .split('\n')
    .filter((l) => l.startsWith('  - '))
    .map((l) => l.slice(4))
    .sort();
  expect(resources).toEqual(paths.filter((p) => p !== 'kustomization.yaml'));

  // The exported policies, applied to the demo's namespaces and workloads, give what the app shows.
  const objects = demoFiles().filter((f) => !f.path.endsWith('policies.yaml'));
  const exported = resources.map((path) => ({ id: path, path, text: zip.files[path]! }));
  const applied = compileWorkspace([...objects, ...exported]);
  expect(applied.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const edge = (src: string, dst: string) =>
    applied.model.edges.find((e) => e.source === src && e.target === dst);
  expect(edge(DEMO, STORE_API)?.label).toBe('TCP 8080');
  expect(edge(FRONTEND, STORE_API)).toBeUndefined();
  expect(atlas.consoleErrors).toEqual([]);
});
