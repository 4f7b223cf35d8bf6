import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import type { ApiHolder } from '@backstage/core-plugin-api';
import { workloadCatalogApiRef } from '../../api';
import { fakeApi } from '../../__testUtils__/fakeApi';
import { effectiveMax, gpuCountPickerValidation } from './validation';

const holder = (api: unknown): ApiHolder => ({
  get: ref => (ref === workloadCatalogApiRef ? (api as any) : undefined),
});

async function errorsFor(
  value: number | undefined,
  context?: Parameters<typeof gpuCountPickerValidation>[2],
) {
  const v = createFieldValidation();
  await gpuCountPickerValidation(value, v, context);
  return v.__errors;
}

describe('gpuCountPickerValidation', () => {
  it("checks the platform's maximum from the backend with the common package's message", async () => {
    expect(await errorsFor(5, { apiHolder: holder(fakeApi().api) })).toEqual([
      "must be at most 4 (the platform's GPU maximum per replica); got 5",
    ]);
    expect(await errorsFor(4, { apiHolder: holder(fakeApi().api) })).toEqual(
      [],
    );
  });

  it('takes a lower maximum from ui:options, never a higher one', async () => {
    const context = (max: number) => ({
      apiHolder: holder(fakeApi().api),
      uiSchema: { 'ui:options': { max } },
    });
    expect(await errorsFor(3, context(2))).toEqual([
      "must be at most 2 (the platform's GPU maximum per replica); got 3",
    ]);
    expect(await errorsFor(6, context(12))).toEqual([
      "must be at most 4 (the platform's GPU maximum per replica); got 6",
    ]);
    expect(effectiveMax(8, {})).toBe(8);
  });

  it('rejects counts that are not whole numbers or out of the schema range, with or without the backend', async () => {
    expect(await errorsFor(1.5)).toEqual([
      'must be a whole number of GPUs; got 1.5',
    ]);
    expect(await errorsFor(-1)).toEqual(['must be 0 (CPU only) or more']);
    expect(
      await errorsFor(9, {
        apiHolder: holder(fakeApi({ options: new Error('down') }).api),
      }),
    ).toEqual([
      "must be at most 8 (the platform's GPU maximum per replica); got 9",
    ]);
    expect(await errorsFor(undefined)).toEqual([]);
  });
});
