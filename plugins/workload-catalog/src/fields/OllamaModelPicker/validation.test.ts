import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import type { ApiHolder } from '@backstage/core-plugin-api';
import { parseOllamaRef } from '@workload-catalog/plugin-workload-catalog-common';
import { workloadCatalogApiRef } from '../../api';
import { fakeApi } from '../../__testUtils__/fakeApi';
import { ollamaModelPickerValidation } from './validation';

const holder = (api: unknown): ApiHolder => ({
  get: ref => (ref === workloadCatalogApiRef ? (api as any) : undefined),
});

describe('ollamaModelPickerValidation', () => {
  it('gives the Ollama reference parser’s message', async () => {
    const v = createFieldValidation();
    await ollamaModelPickerValidation('http://ollama/phi', v);
    expect(v.__errors).toEqual([
      (parseOllamaRef('http://ollama/phi') as { error: string }).error,
    ]);
  });

  it('accepts any reference by default, and nothing is left to "required"', async () => {
    for (const value of ['phi', 'hf.co/org/model:Q4_K_M', undefined, '']) {
      const v = createFieldValidation();
      await ollamaModelPickerValidation(value, v, {
        apiHolder: holder(fakeApi().api),
      });
      expect(v.__errors).toEqual([]);
    }
  });

  it('limits to the template’s and the platform’s suggestions when free text is off', async () => {
    const context = (models?: string[]) => ({
      apiHolder: holder(fakeApi().api),
      uiSchema: { 'ui:options': { allowArbitraryValues: false, models } },
    });
    const bad = createFieldValidation();
    await ollamaModelPickerValidation('mystery:1b', bad, context());
    expect(bad.__errors).toEqual(['must be one of the suggested models']);
    const fromPlatform = createFieldValidation();
    await ollamaModelPickerValidation('phi', fromPlatform, context());
    expect(fromPlatform.__errors).toEqual([]);
    const fromTemplate = createFieldValidation();
    await ollamaModelPickerValidation(
      'mystery:1b',
      fromTemplate,
      context(['mystery:1b']),
    );
    expect(fromTemplate.__errors).toEqual([]);
  });
});
