import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './authoringFixtures.ts';

const DEMO = 'default/demo[Deployment]';
const STORE_API = 'store/store-api[Deployment]';
const FRONTEND = 'frontend/frontend[Deployment]';

test('the Problems tab’s count is readable', async ({ atlas, page }) => {
  await atlas.open();
  await atlas.pasteManifests(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: bad, namespace: default }
spec:
  podSelector: {}
  ingress:
    - ports:
        - port: 70000
`);
  await atlas.waitForGraph();
  const pill = atlas.tab('Problems').locator('.pill');
  await expect(pill).toContainText('1');
  const colours = await pill.evaluate((e) => {
    const s = getComputedStyle(e);
    return { text: s.color, background: s.backgroundColor };
  });
  expect(colours.text).not.toBe(colours.background);
  const results = await new AxeBuilder({ page })
    .include('[role="tablist"]')
    .withRules(['color-contrast'])
    .analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
  await expect(pill).toHaveAttribute('title', '1 error, 0 warnings');
});

test('counts read as English: one policy, one rule, one connection', async ({ atlas, authoring, page }) => {
  await atlas.open();
  await expect(page.getByRole('contentinfo')).toContainText('3 policies');
  await atlas.edge(FRONTEND, STORE_API).click();
  const ingress = page.getByRole('region', { name: 'Ingress side' });
  await expect(ingress).toContainText('1 rule admits this traffic');

  await authoring.connectWithPickers(DEMO, STORE_API);
  const dialog = authoring.dialog('Allow a connection');
  await expect(dialog.getByTestId('plan.summary')).toContainText('Adds 1 connection, exactly the drawn edge');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await atlas.dropFiles([
    {
      name: 'one.yaml',
      text: `apiVersion: v1
kind: Pod
metadata: { name: a, namespace: team, labels: { app: a } }
spec: { containers: [{ name: c }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: team }
spec: { podSelector: {}, policyTypes: [Ingress] }
`,
    },
  ]);
  await atlas.waitForGraph();
  const status = page.getByRole('contentinfo');
  await expect(status).toContainText('1 file');
  await expect(status).toContainText('1 workload');
  await expect(status).toContainText('1 policy');
  await expect(status).not.toContainText('(s)');
  await expect(status).not.toContainText('1 policies');
});

test('a long address range name ends in an ellipsis, the full name on hover', async ({ atlas }) => {
  await atlas.open();
  await atlas.dropFiles([
    {
      name: 'partners.yaml',
      text: `apiVersion: v1
kind: Pod
metadata: { name: a, namespace: team, labels: { app: a } }
spec: { containers: [{ name: c }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: partners, namespace: team }
spec:
  podSelector: { matchLabels: { app: a } }
  policyTypes: [Ingress]
  ingress:
    - from:
        - ipBlock: { cidr: 10.0.0.0/8, except: [10.10.0.0/16, 10.20.0.0/16] }
`,
    },
  ]);
  await atlas.waitForGraph();
  // The part of 10.0.0.0/8 above the holes: a name longer than the node is wide.
  const range = atlas.node('10.21.0.0-10.255.255.255[External]');
  await expect(range).toBeVisible();
  const name = range.locator('.node-name');
  const shown = await name.evaluate((e) => {
    const s = getComputedStyle(e);
    return {
      textOverflow: s.textOverflow,
      display: s.display,
      cut: e.scrollWidth > e.clientWidth,
      inside: e.getBoundingClientRect().right <= e.closest('.flow-node')!.getBoundingClientRect().right,
    };
  });
  expect(shown).toEqual({ textOverflow: 'ellipsis', display: 'block', cut: true, inside: true });
  await expect(range).toHaveAttribute('title', '10.21.0.0-10.255.255.255[External]');
});

test('draw-connection mode turns off once the drawn connection is accepted', async ({ atlas, authoring }) => {
  await atlas.open();
  await authoring.drawEdge(DEMO, STORE_API);
  const toggle = authoring.toolbar().getByRole('button', { name: /Draw connection/ });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const dialog = authoring.dialog('Allow a connection');
  await expect(authoring.list(dialog, 'plan.added')).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await expect(dialog).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
});
