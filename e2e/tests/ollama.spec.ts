/*
 * A newcomer's path: sign in, open the Ollama template, pick the owner with Backstage's
 * OwnerPicker, pick a model, set the GPUs with the
 * keyboard, fix a bad host name the form points out, submit, and find the pull request with
 * the expected leaf in the catalog repository.
 */
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import {
  SCREENSHOTS,
  expect,
  gitShow,
  openTemplate,
  pullRequests,
  signIn,
  test,
} from './fixtures';

// The common package is CommonJS (TypeScript sources) while this package is ESM: require it.
const { validateLeaf } = createRequire(import.meta.url)(
  '@workload-catalog/plugin-workload-catalog-common',
) as typeof import('@workload-catalog/plugin-workload-catalog-common');

test('Ollama service: from Create to a pull request with the expected leaf', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page);
  await openTemplate(page, 'Ollama inference service');

  const form = page.getByTestId('workload-config-form');
  const preview = page.getByTestId('yaml-preview');
  // The template's defaults are in the form and the preview.
  await expect(form.getByRole('combobox', { name: /^Model/ })).toHaveValue(
    'phi:latest',
  );
  await expect(preview).toContainText('serviceCatalog: ml-inference');

  // Backstage's own OwnerPicker above the form: a group from the catalog becomes the
  // leaf's owner, and the form's own Owner field is read-only.
  // (Material UI v4's Autocomplete input is a textbox)
  const owner = page.getByRole('textbox', { name: /^Owner/ }).first();
  await owner.click();
  await page.getByRole('option', { name: /ml-platform/ }).click();
  await expect(preview).toContainText('owner: group:default/ml-platform');
  await expect(form.getByRole('textbox', { name: /^Owner/ })).toBeDisabled();

  await form.getByRole('textbox', { name: /^Service name/ }).fill('ollama-e2e');

  // The model picker: the backend's suggestions (configured and from the Ollama server) with sizes.
  const model = form.getByRole('combobox', { name: /^Model/ });
  await model.click();
  await model.fill('llama');
  const option = page.getByRole('option', { name: /llama3\.2:3b/ });
  await expect(option).toContainText('on the Ollama server');
  await expect(option).toContainText('needs ~');
  await page.screenshot({
    path: `${SCREENSHOTS}/model-picker.png`,
    animations: 'disabled',
  });
  await option.click();
  await expect(model).toHaveValue('llama3.2:3b');
  await expect(page.getByTestId('preset-proposal')).toContainText(
    'Resource preset set for llama3.2:3b: small',
  );
  // The GPU-memory estimate of the leaf's models: weights, KV cache, overhead and the fit.
  const memory = page.getByTestId('gpu-memory-breakdown');
  await expect(memory).toContainText('llama3.2:3b: weights');
  await expect(memory).toContainText('KV cache');
  await expect(memory).toContainText('fits on 1 GPU of 24 GiB');

  // The GPU slider, with the keyboard.
  const gpus = form.getByRole('slider', { name: 'GPUs' });
  await expect(gpus).toHaveAttribute('aria-valuenow', '1');
  await gpus.focus();
  await page.keyboard.press('ArrowRight');
  await expect(gpus).toHaveAttribute('aria-valuenow', '2');
  await page.keyboard.press('End');
  await expect(gpus).toHaveAttribute('aria-valuenow', '8'); // the platform's maximum (app-config.yaml)
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(gpus).toHaveAttribute('aria-valuenow', '2');
  await expect(preview).toContainText('gpu:\n  count: 2');

  // A bad host name: the form says what is wrong, in the words the backend and CLI use.
  await form.getByRole('checkbox', { name: 'Enabled' }).first().check();
  const host = form.getByRole('textbox', { name: /^Host/ });
  await host.fill('https://text.example.com/');
  await host.press('Tab');
  const bad = validateLeaf({
    workloadType: 'OLLAMA_INFERENCE_LOAD',
    serviceName: 'ollama-e2e',
    serviceCatalog: 'ml-inference',
    namespace: 'ml-workloads',
    environment: 'dev',
    model: 'llama3.2:3b',
    ingress: { enabled: true, host: 'https://text.example.com/' },
  }).issues;
  expect(bad.map(i => i.path.join('.'))).toEqual(['ingress.host']);
  await expect(form.getByText(bad[0].message)).toBeVisible();
  await expect(page.getByTestId('leaf-status')).toHaveText('1 problem to fix');
  await host.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${SCREENSHOTS}/inline-error.png`,
    animations: 'disabled',
  });

  await host.fill('text.example.com');
  await expect(form.getByText(bad[0].message)).toBeHidden();
  await expect(page.getByTestId('leaf-status')).toHaveText(
    'Valid leaf: ready for a pull request',
  );

  // The preview is the leaf, and the copy button puts it on the clipboard.
  const yaml = await preview.textContent();
  const shown = parse(yaml!);
  const expectedInput = {
    workloadType: 'OLLAMA_INFERENCE_LOAD',
    serviceName: 'ollama-e2e',
    serviceCatalog: 'ml-inference',
    namespace: 'ml-workloads',
    environment: 'dev',
    model: 'llama3.2:3b',
    gpu: { count: 2 },
    owner: 'group:default/ml-platform',
    ingress: { enabled: true, host: 'text.example.com' },
    container: { replicas: 1, resourcePreset: 'small' },
  };
  expect(shown).toEqual(expectedInput);
  await page.getByRole('button', { name: 'Copy YAML' }).click();
  await expect(page.getByText('Copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(yaml);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({
    path: `${SCREENSHOTS}/workload-form.png`,
    fullPage: true,
    animations: 'disabled',
  });

  // Submit: next step (pull request options), review, create.
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(
    page.getByRole('link', { name: 'Catalog pull request' }),
  ).toBeVisible({ timeout: 60_000 });

  // The pull request, and the leaf on its branch, read with git.
  const pulls = (await pullRequests()).filter(p =>
    p.head.ref.endsWith('/ollama-e2e'),
  );
  expect(pulls).toHaveLength(1);
  expect(pulls[0].title).toBe('Add ollama-e2e in dev: llama3.2:3b on 2 GPUs');
  await expect(
    page.getByRole('link', { name: 'Catalog pull request' }),
  ).toHaveAttribute('href', pulls[0].html_url);
  const leafText = gitShow(
    pulls[0].head.ref,
    'catalog/ml-inference/dev/ollama-e2e.yaml',
  );
  const expected = validateLeaf(expectedInput);
  if (!expected.valid) throw new Error('the expected leaf is not valid');
  expect(parse(leafText)).toEqual(JSON.parse(JSON.stringify(expected.leaf)));
});
