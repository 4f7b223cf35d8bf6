/*
 * In the brand-new app (globalSetup.ts): the backend has our actions and plugin, and a user
 * opens the Ollama template, submits it, gets the pull request in the catalog repo (the
 * local GitHub), and finds the workload's entity page with the deployment status card.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  backendSnippetModules,
  frontendSnippetsModule,
  pluginReadmeProblems,
} from './installGuide.ts';

const appUrl = () => process.env.FRESH_APP_URL!;
const SERVICE = 'fresh-ollama';

async function guestToken(): Promise<string> {
  const res = await fetch(`${appUrl()}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(res.status).toBe(200);
  return (await res.json()).backstageIdentity.token;
}

async function pullRequests(): Promise<
  Array<{
    number: number;
    title: string;
    head: { ref: string };
    html_url: string;
  }>
> {
  const res = await fetch(
    `${process.env.FRESH_APP_GITHUB_URL}/api/v3/repos/local/catalog/pulls?state=all`,
    { headers: { authorization: 'token local-dev-token' } },
  );
  expect(res.status).toBe(200);
  return res.json();
}

/** Guest sign-in when the app asks for it (create-app's new frontend system may not). */
async function signIn(page: Page) {
  await page.goto(`${appUrl()}/create`);
  const enter = page.getByRole('button', { name: 'Enter' });
  const templates = page.getByText('Ollama inference service');
  await expect(enter.or(templates).first()).toBeVisible({ timeout: 60_000 });
  if (await enter.isVisible()) await enter.click();
}

test("each plugin's README gives the root install guide's steps for it", () => {
  expect(pluginReadmeProblems()).toEqual([]);
});

test('the install guide put our packages into the app, from the tarballs', () => {
  const dir = process.env.FRESH_APP_DIR!;
  const backend = JSON.parse(
    readFileSync(path.join(dir, 'packages/backend/package.json'), 'utf8'),
  );
  const app = JSON.parse(
    readFileSync(path.join(dir, 'packages/app/package.json'), 'utf8'),
  );
  for (const name of [
    '@workload-catalog/plugin-scaffolder-backend-module-workload-catalog',
    '@workload-catalog/plugin-workload-catalog-backend',
    '@workload-catalog/plugin-catalog-backend-module-workload-catalog',
  ]) {
    expect(backend.dependencies[name]).toMatch(/^file:.*\.tgz$/);
  }
  expect(app.dependencies['@workload-catalog/plugin-workload-catalog']).toMatch(
    /^file:.*\.tgz$/,
  );
  // installed as packages, not linked to this repository's workspace
  const installed = path.join(
    dir,
    'node_modules/@workload-catalog/plugin-workload-catalog-node/package.json',
  );
  expect(JSON.parse(readFileSync(installed, 'utf8')).main).toMatch(/^dist\//);
});

test("the app type-checks with our packages, the README's snippets included", () => {
  // The applied steps (backend.add lines) and the snippets shown but not applied (the
  // feature list, the legacy App.tsx and EntityPage.tsx wiring, the permission policy),
  // against our packed types.
  const dir = process.env.FRESH_APP_DIR!;
  writeFileSync(
    path.join(dir, 'packages/app/src/workloadCatalogReadme.check.tsx'),
    frontendSnippetsModule(),
  );
  const modules = backendSnippetModules();
  expect(modules.length).toBeGreaterThan(0);
  modules.forEach(({ code }, i) =>
    writeFileSync(
      path.join(
        dir,
        `packages/backend/src/workloadCatalogReadme${i + 1}.check.ts`,
      ),
      code,
    ),
  );
  const tsc = spawnSync('yarn', ['tsc', '--noEmit'], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(`${tsc.stdout}${tsc.stderr}`.trim()).toBe('');
  expect(tsc.status).toBe(0);
});

test('the backend lists our actions and answers for the form', async () => {
  const headers = { authorization: `Bearer ${await guestToken()}` };
  const actions = await fetch(`${appUrl()}/api/scaffolder/v2/actions`, {
    headers,
  });
  expect(actions.status).toBe(200);
  const ids = ((await actions.json()) as Array<{ id: string }>).map(a => a.id);
  expect(ids).toEqual(
    expect.arrayContaining([
      'workload:leaf:validate',
      'workload:catalog:pull-request',
    ]),
  );
  const models = await fetch(`${appUrl()}/api/workload-catalog/models`, {
    headers,
  });
  expect(models.status).toBe(200);
  expect(JSON.stringify(await models.json())).toContain('phi:latest');
});

test('Ollama template: submitted in the fresh app, a pull request, and the entity page with the status card', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(e.message));

  await signIn(page);
  // The Create page lists the templates the catalog module ships.
  const card = page
    .locator('div')
    .filter({
      has: page.getByRole('heading', {
        name: 'Ollama inference service',
        exact: true,
      }),
    })
    .filter({ has: page.getByRole('button', { name: 'Choose' }) })
    .last();
  await card.getByRole('button', { name: 'Choose' }).click();

  // Our form field (WorkloadConfig) renders the template's parameter.
  const form = page.getByTestId('workload-config-form');
  await expect(form.getByRole('combobox', { name: /^Model/ })).toHaveValue(
    'phi:latest',
  );
  await form.getByRole('textbox', { name: /^Service name/ }).fill(SERVICE);
  await expect(page.getByTestId('leaf-status')).toHaveText(
    'Valid leaf: ready for a pull request',
  );
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  const link = page.getByRole('link', { name: 'Catalog pull request' });
  await expect(link).toBeVisible({ timeout: 90_000 });

  // The pull request in the catalog repo, with the leaf on its branch.
  const pulls = (await pullRequests()).filter(p =>
    p.head.ref.endsWith(`/${SERVICE}`),
  );
  expect(pulls).toHaveLength(1);
  await expect(link).toHaveAttribute('href', pulls[0].html_url);
  const leaf = execFileSync(
    'git',
    [
      '--git-dir',
      process.env.FRESH_APP_CATALOG_GIT_DIR!,
      'show',
      `${pulls[0].head.ref}:catalog/ml-inference/dev/${SERVICE}.yaml`,
    ],
    { encoding: 'utf8' },
  );
  expect(leaf).toContain(`serviceName: ${SERVICE}`);
  expect(leaf).toContain('workloadType: OLLAMA_INFERENCE_LOAD');

  // The proposed workload's entity page, with our deployment status card.
  const summary = page.getByTestId('workload-status-summary');
  await expect(async () => {
    await page.goto(`${appUrl()}/catalog/default/component/${SERVICE}-dev`);
    await expect(summary).toHaveText('PR open', { timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await expect(
    page
      .getByRole('list', { name: 'Deployment timeline' })
      .getByRole('listitem', { name: 'Pull request opened: done' }),
  ).toContainText(pulls[0].title);
  const statusCard = page.getByRole('region', { name: 'Deployment status' });
  await statusCard.scrollIntoViewIfNeeded();
  await expect(statusCard).toBeVisible();
  await statusCard.screenshot({
    path: path.join(
      import.meta.dirname,
      '../../test-results/fresh-app/status-card.png',
    ),
  });
  expect(errors, 'uncaught errors in the page').toEqual([]);
});
