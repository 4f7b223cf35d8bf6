/*
 * After submitting: the workload appears in the catalog with its deployment status. Its page
 * says "PR open"; once the test approves and merges the pull request, the local Argo CD reports the
 * Application Synced/Healthy at the merge commit and the local Ollama lists the model, the
 * card says "Ready". A degraded app shows Argo CD's message. The Configure tab opens an
 * update pull request with the new GPU count, and the timeline follows it.
 */
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import {
  SCREENSHOTS,
  appUrl,
  expect,
  gitShow,
  openTemplate,
  pullRequests,
  signIn,
  test,
  waitForEntity,
} from './fixtures';

// CommonJS (TypeScript sources) from this ESM package: require them.
const { application, states } = createRequire(import.meta.url)(
  '@workload-catalog/argocd-local',
) as typeof import('@workload-catalog/argocd-local');

const SERVICE = 'phi-status';
const LEAF_PATH = `catalog/ml-inference/dev/${SERVICE}.yaml`;
const APP = `ml-inference.dev.${SERVICE}`;
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

/** Scripts the local Argo CD through its control endpoints (as another process). */
async function argocd(method: string, path: string, body: unknown) {
  const res = await fetch(`${process.env.E2E_ARGOCD_URL}/_local${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

const summary = (page: Page) => page.getByTestId('workload-status-summary');

/** Reloads the entity page until the catalog has the workload and the card shows `text`. */
async function expectCard(page: Page, text: string | RegExp) {
  await expect(async () => {
    if (!(await summary(page).isVisible())) await page.goto(ENTITY_URL());
    else await page.getByRole('button', { name: 'Refresh the status' }).click();
    await expect(summary(page)).toHaveText(text, { timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
}

test('entity page: from "PR open" to "Ready", a degraded app, and a configuration change as a pull request', async ({
  page,
}) => {
  // Submit the workload through its template, as a user does.
  await signIn(page);
  await openTemplate(page, 'Ollama inference service');
  const form = page.getByTestId('workload-config-form');
  await form.getByRole('textbox', { name: /^Service name/ }).fill(SERVICE);
  await expect(page.getByTestId('leaf-status')).toHaveText(
    'Valid leaf: ready for a pull request',
  );
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(
    page.getByRole('link', { name: 'Catalog pull request' }),
  ).toBeVisible({ timeout: 60_000 });
  const pull = (await pullRequests()).find(p =>
    p.head.ref.endsWith(`/${SERVICE}`),
  )!;

  // The proposed workload is in the catalog; its card follows the pull request.
  await waitForEntity(`${SERVICE}-dev`);
  await expectCard(page, 'PR open');
  const timeline = page.getByRole('list', { name: 'Deployment timeline' });
  await expect(
    timeline.getByRole('listitem', { name: 'Pull request opened: done' }),
  ).toContainText(pull.title);
  await expect(
    page
      .getByTestId('step-pr-opened')
      .getByRole('link', { name: `#${pull.number}` }),
  ).toHaveAttribute('href', pull.html_url);
  await expect(
    timeline.getByRole('listitem', { name: 'Argo CD synced: waiting' }),
  ).toBeVisible();

  // Approved and merged; Argo CD syncs the merge commit and reports Healthy; Ollama has
  // the model.
  await github('POST', `/pulls/${pull.number}/reviews`, { event: 'APPROVE' });
  await expectCard(page, 'PR open');
  await expect(
    timeline.getByRole('listitem', { name: 'Reviewed: done' }),
  ).toContainText('Approved by workload-catalog-bot');
  const merged = await github('PUT', `/pulls/${pull.number}/merge`, {});
  const ctx = {
    revision: merged.sha,
    workload: SERVICE,
    namespace: 'ml-workloads',
  };
  await argocd(
    'POST',
    '/applications',
    application({
      name: APP,
      labels: {
        'workload-catalog.dev/service-name': SERVICE,
        'workload-catalog.dev/catalog': 'ml-inference',
        'workload-catalog.dev/environment': 'dev',
        'workload-catalog.dev/workload-type': 'OLLAMA_INFERENCE_LOAD',
      },
      project: 'workload-catalog',
      repoURL: `${process.env.E2E_GITHUB_URL}/local/catalog.git`,
      path: 'charts/ollama-inference-load',
      destination: { namespace: 'ml-workloads' },
      status: states.progressing(ctx),
    }),
  );
  await expectCard(page, /^Deploying: /);
  await argocd('PATCH', `/applications/${APP}/status`, states.healthy(ctx));
  await expectCard(page, /^Deploying: Waiting for phi:latest/);
  const pulled = await fetch(`${process.env.E2E_OLLAMA_URL}/_local/pull`, {
    method: 'POST',
    body: JSON.stringify({ name: 'phi:latest' }),
  });
  expect(pulled.status).toBe(200);
  await expectCard(page, 'Ready');
  for (const step of [
    'Pull request opened',
    'Reviewed',
    'Merged',
    'Argo CD synced',
    'Healthy',
    'Model pulled',
    'Ready',
  ]) {
    await expect(
      timeline.getByRole('listitem', { name: `${step}: done` }),
    ).toBeVisible();
  }
  // The card tells pulled from loaded per model: the chart's loader loads it with an empty
  // generate request (keep_alive -1: forever), as Ollama's API does it.
  const model = page
    .getByRole('list', { name: 'Models' })
    .getByRole('listitem')
    .filter({ hasText: 'phi:latest' });
  await expect(model).toHaveText('phi:latestpullednot loaded');
  const load = await fetch(`${process.env.E2E_OLLAMA_URL}/api/generate`, {
    method: 'POST',
    body: JSON.stringify({ model: 'phi:latest', keep_alive: -1 }),
  });
  expect((await load.json()).done_reason).toBe('load');
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh the status' }).click();
    await expect(model).toHaveText('phi:latestpulledloadedkept in memory', {
      timeout: 3_000,
    });
  }).toPass({ timeout: 60_000 });
  await page
    .getByRole('region', { name: 'Deployment status' })
    .screenshot({ path: `${SCREENSHOTS}/entity-status.png` });

  // A degraded app: the card says why, in Argo CD's words.
  const reason =
    'Back-off restarting failed container ollama in pod phi-status-6d8f9c7b5-x2x9q';
  await argocd(
    'PATCH',
    `/applications/${APP}/status`,
    states.degraded(ctx, reason),
  );
  await expectCard(page, `Degraded: Deployment ${SERVICE}: ${reason}`);
  await expect(
    timeline
      .getByRole('listitem', { name: 'Healthy: failed' })
      .getByRole('alert'),
  ).toHaveText(`Degraded: Deployment ${SERVICE}: ${reason}`);

  // Configure: the same form with the leaf as merged; the new GPU count as a pull request.
  await page.goto(ENTITY_URL());
  await page.getByRole('link', { name: 'Configure', exact: true }).click();
  const configure = page.getByRole('region', {
    name: 'Configure the workload',
  });
  const gpus = configure.getByRole('slider', { name: 'GPUs' });
  await expect(gpus).toHaveAttribute('aria-valuenow', '1');
  await expect(
    configure.getByRole('textbox', { name: /^Service name/ }),
  ).toHaveValue(SERVICE);
  await gpus.focus();
  await page.keyboard.press('ArrowRight');
  await expect(gpus).toHaveAttribute('aria-valuenow', '2');
  await page.getByRole('button', { name: 'Open update pull request' }).click();
  const opened = page.getByText(/^Pull request #\d+ opened$/);
  await expect(opened).toBeVisible({ timeout: 60_000 });
  const update = (await pullRequests()).find(
    p => p.head.ref.endsWith(`/${SERVICE}`) && p.number !== pull.number,
  )!;
  expect(update.title).toBe(`Update ${SERVICE} in dev: phi:latest on 2 GPUs`);
  await expect(opened).toHaveText(`Pull request #${update.number} opened`);
  expect(gitShow(update.head.ref, LEAF_PATH)).toMatch(/^gpu:\n {2}count: 2$/m);
  // The timeline beside the form follows the update pull request.
  await expect(summary(page)).toHaveText('Update PR open');
  await page.screenshot({
    path: `${SCREENSHOTS}/entity-configure.png`,
    fullPage: true,
  });
});
