import { getComponentData } from '@backstage/core-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import workloadCatalogPlugin, {
  gpuCountPickerField,
  ollamaModelPickerField,
  workloadConfigField,
} from './alpha';
import {
  GpuCountPickerFieldExtension,
  OllamaModelPickerFieldExtension,
  WorkloadConfigFieldExtension,
} from './plugin';
import { screen } from '@testing-library/react';
import type { FieldValidation } from '@rjsf/utils';
import { renderLoaded } from './__testUtils__/render';

describe('the field extensions', () => {
  it('are registered for the legacy frontend system by name, with their validation and ui:options schema', async () => {
    // Each with a value its validation refuses, and the message it gives.
    const fields = [
      [
        WorkloadConfigFieldExtension,
        'WorkloadConfig',
        { workloadType: 'OLLAMA_INFERENCE_LOAD' },
        /^serviceName: /,
      ],
      [
        OllamaModelPickerFieldExtension,
        'OllamaModelPicker',
        'Llama 3!',
        /Ollama model reference/,
      ],
      [GpuCountPickerFieldExtension, 'GpuCountPicker', 2.5, /whole number/],
    ] as const;
    for (const [Extension, name, bad, message] of fields) {
      const data = getComponentData<{
        name: string;
        validation: (
          value: unknown,
          v: FieldValidation,
          context: unknown,
        ) => Promise<void>;
        schema: { uiOptions: unknown };
      }>(<Extension />, 'scaffolder.extensions.field.v1');
      expect(data?.name).toBe(name);
      expect(data?.schema.uiOptions).toMatchObject({ type: 'object' });
      // The validation loads the implementations' chunk, then checks.
      const errors: string[] = [];
      await data!.validation(
        bad,
        { addError: (m: string) => errors.push(m) } as FieldValidation,
        {},
      );
      expect(errors.join('\n')).toMatch(message);
    }
  });

  it('render their implementation once its chunk has loaded', async () => {
    const data = getComponentData<{
      component: (p: Record<string, unknown>) => JSX.Element;
    }>(<GpuCountPickerFieldExtension />, 'scaffolder.extensions.field.v1');
    const Field = data!.component;
    await renderLoaded(
      <Field
        name="gpu"
        schema={{ type: 'integer', title: 'GPUs', default: 1 }}
        uiSchema={{}}
        idSchema={{ $id: 'root_gpu' }}
        formData={1}
        onChange={() => {}}
        onBlur={() => {}}
        onFocus={() => {}}
        registry={{ formContext: {} }}
      />,
      null,
    );
    expect(await screen.findByRole('slider')).toHaveValue('1');
  });

  it('are FormFieldBlueprint extensions of the new frontend system, loaded lazily', async () => {
    const load = async (extension: typeof workloadConfigField) => {
      const loader = createExtensionTester(extension).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ) as () => Promise<unknown>;
      return loader();
    };
    expect(await load(workloadConfigField)).toMatchObject({
      name: 'WorkloadConfig',
    });
    expect(
      await load(
        ollamaModelPickerField as unknown as typeof workloadConfigField,
      ),
    ).toMatchObject({
      name: 'OllamaModelPicker',
    });
    expect(
      await load(gpuCountPickerField as unknown as typeof workloadConfigField),
    ).toMatchObject({
      name: 'GpuCountPicker',
    });
    expect(workloadCatalogPlugin.pluginId).toBe('workload-catalog');
  });

  it('describe their ui:options with zod (what the template editor shows)', () => {
    const data = getComponentData<{ schema: { uiOptions: any } }>(
      <WorkloadConfigFieldExtension />,
      'scaffolder.extensions.field.v1',
    );
    expect(Object.keys(data!.schema.uiOptions.properties)).toEqual([
      'workloadTypes',
      'defaultWorkloadType',
      'showPreview',
      'ownerParameter',
      'catalogParameter',
    ]);
    expect(
      data!.schema.uiOptions.properties.workloadTypes.items.enum,
    ).toContain('OLLAMA_INFERENCE_LOAD');
  });
});
