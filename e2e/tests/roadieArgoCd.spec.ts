/*
 * Roadie's Argo CD plugin (@roadiehq/backstage-plugin-argo-cd, the real package from npm) on
 * a workload's entity page: a leaf merged into the catalog repo, the Application that
 * deploy/argocd's ApplicationSet generates for it (rendered by argocd-local from the
 * ApplicationSet itself, multi-source, Synced/Healthy as Argo CD's controller writes it),
 * and Roadie's overview card showing its sync and health through Backstage's proxy, with no
 * error (the fixture fails the test on any console error of the page).
 */
import { createRequire } from 'node:module';
import {
  SCREENSHOTS,
  appUrl,
  expect,
  signIn,
  test,
  waitForEntity,
} from './fixtures';

// CommonJS (TypeScript sources) from this ESM package: require them.
const argocdLocal = createRequire(import.meta.url)(
  '@workload-catalog/argocd-local',
) as typeof import('@workload-catalog/argocd-local');

const SERVICE = 'roadie-card';
const LEAF_PATH = `catalog/shop/dev/${SERVICE}.yaml`;
const LEAF = `workloadType: BASIC_CONTAINER_LOAD
serviceName: ${SERVICE}
serviceCatalog: shop
namespace: shop
environment: dev
container:
  image: ghcr.io/acme/roadie-card:1.0.0
`;
const ENTITY_URL = () => `${appUrl()}/catalog/default/component/${SERVICE}-dev`;

async function github(method: string, path: string, body?: unknown) {
  const res = await fetch(
    `${process.env.E2E_GITHUB_URL}/api/v3/repos/local/catalog${path}`,
    {
      method,
      headers: {
        authorization: 'token local-dev-token',
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return res.json();
}

/** Commits the leaf straight to main (as a merged pull request leaves it). */
async function commitLeaf(): Promise<string> {
  const head = await github('GET', '/git/ref/heads/main');
  const parent = await github('GET', `/git/commits/${head.object.sha}`);
  const tree = await github('POST', '/git/trees', {
    base_tree: parent.tree.sha,
    tree: [{ path: LEAF_PATH, mode: '100644', type: 'blob', content: LEAF }],
  });
  const commit = await github('POST', '/git/commits', {
    message: `Add ${SERVICE} in dev`,
    tree: tree.sha,
    parents: [head.object.sha],
  });
  await github('PATCH', '/git/refs/heads/main', { sha: commit.sha });
  return commit.sha;
}

test("Roadie's Argo CD overview card shows the workload's sync and health", async ({
  page,
}) => {
  const sha = await commitLeaf();

  // The Application the ApplicationSet generates from the merged leaf, synced and healthy.
  const appSet = argocdLocal.loadApplicationSet({
    catalogRepoURL: `${process.env.E2E_GITHUB_URL}/local/catalog.git`,
  });
  const [rendered] = await argocdLocal.renderApplications(appSet, [
    { path: LEAF_PATH, content: LEAF },
  ]);
  expect(rendered).not.toHaveProperty('error');
  const app = (rendered as { application: any }).application;
  expect(app.metadata.name).toBe(`shop.dev.${SERVICE}`);
  const status = argocdLocal.states.healthy({
    revision: sha,
    workload: SERVICE,
    namespace: 'shop',
    ...argocdLocal.sourcesContext(app, s => (s.ref ? sha : 'c'.repeat(40))),
  });
  const res = await fetch(`${process.env.E2E_ARGOCD_URL}/_local/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...app, status }),
  });
  expect(res.status, await res.clone().text()).toBe(200);

  // Only open the page once the catalog has the entity (a 404 there is a console error).
  await waitForEntity(`${SERVICE}-dev`);
  await signIn(page);
  const card = page
    .locator('div')
    .filter({ has: page.getByText('ArgoCD overview', { exact: true }) })
    .filter({ has: page.getByRole('table') })
    .last();
  // The catalog reads the repo every second: reload until the entity is there.
  await expect(async () => {
    await page.goto(ENTITY_URL());
    await expect(card).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  const row = card.getByRole('row').filter({ hasText: `shop.dev.${SERVICE}` });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText('Synced');
  await expect(row).toContainText('Healthy');
  await expect(card).not.toContainText('Error occurred');
  await expect(page.getByText('Cannot provide both')).toHaveCount(0);

  // What the card asked for went through the proxy to Argo CD's list endpoint, and every
  // answer followed Argo CD's API description.
  const calls = await (
    await fetch(`${process.env.E2E_ARGOCD_URL}/_local/calls`)
  ).json();
  expect(
    calls.some(
      (c: { route?: string; path: string; status: number }) =>
        c.route === 'applications/list' &&
        c.path.includes('selector=') &&
        c.status === 200,
    ),
  ).toBe(true);
  const violations = await (
    await fetch(`${process.env.E2E_ARGOCD_URL}/_local/violations`)
  ).json();
  expect(violations).toEqual([]);

  await card.screenshot({ path: `${SCREENSHOTS}/roadie-argocd-card.png` });
});
