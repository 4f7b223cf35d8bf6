/*
 * The guided template: switching the workload type in the middle of the form shows the new
 * type's sections and keeps what the user already entered.
 */
import { SCREENSHOTS, expect, openTemplate, signIn, test } from './fixtures';

test('switching the workload type keeps the common values', async ({
  page,
}) => {
  await signIn(page);
  await openTemplate(page, 'New workload (guided, any type)');
  const form = page.getByTestId('workload-config-form');
  const preview = page.getByTestId('yaml-preview');
  const typeChoice = form.getByRole('combobox', { name: 'Workload type' });
  const choose = async (name: RegExp) => {
    await typeChoice.click();
    await page.getByRole('option', { name }).click();
  };

  await choose(/^Ollama inference service/);
  await form.getByRole('textbox', { name: /^Service name/ }).fill('chat');
  await form.getByRole('textbox', { name: /^Catalog/ }).fill('ml-inference');
  await form.getByRole('combobox', { name: /^Namespace/ }).click();
  await page.getByRole('option', { name: 'ml-workloads', exact: true }).click();
  await form.getByRole('combobox', { name: /^Model/ }).fill('mistral:7b');
  await form.getByRole('spinbutton', { name: /^Replicas/ }).fill('3');
  await expect(form.getByRole('slider', { name: 'GPUs' })).toBeVisible();
  await expect(preview).toContainText('model: mistral:7b');

  await choose(/^Container service/);
  await expect(form.getByRole('textbox', { name: /^Image/ })).toBeVisible();
  await expect(form.getByRole('spinbutton', { name: /^Port/ })).toBeVisible();
  await expect(form.getByRole('combobox', { name: /^Model/ })).toHaveCount(0);
  await expect(form.getByRole('slider', { name: 'GPUs' })).toHaveCount(0);
  await expect(
    form.getByRole('textbox', { name: /^Service name/ }),
  ).toHaveValue('chat');
  await expect(form.getByRole('textbox', { name: /^Catalog/ })).toHaveValue(
    'ml-inference',
  );
  await expect(form.getByRole('spinbutton', { name: /^Replicas/ })).toHaveValue(
    '3',
  );
  await expect(preview).toContainText('workloadType: BASIC_CONTAINER_LOAD');
  await expect(preview).not.toContainText('model:');

  await choose(/^Text Generation Inference service/);
  await expect(form.getByRole('textbox', { name: /^Model id/ })).toBeVisible();
  await expect(form.getByRole('slider', { name: 'GPUs' })).toBeVisible();
  await expect(
    form.getByRole('textbox', { name: /^Service name/ }),
  ).toHaveValue('chat');

  await choose(/^Ollama inference service/);
  await expect(form.getByRole('combobox', { name: /^Model/ })).toHaveValue(
    'mistral:7b',
  );
  await expect(preview).toContainText('workloadType: OLLAMA_INFERENCE_LOAD');
  // The README's picture of the type choice: the menu open over the form.
  await typeChoice.click();
  await expect(
    page.getByRole('option', { name: /^Progressive rollout service/ }),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/type-choice.png`,
    animations: 'disabled',
  });
  await page.keyboard.press('Escape');
});
