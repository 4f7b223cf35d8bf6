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
import { gpuCountPickerValidation } from './fields/GpuCountPicker';
import { ollamaModelPickerValidation } from './fields/OllamaModelPicker';
import { workloadConfigValidation } from './fields/WorkloadConfig';

describe('the field extensions', () => {
  it('are registered for the legacy frontend system by name, with their validation and ui:options schema', () => {
    const fields = [
      [
        WorkloadConfigFieldExtension,
        'WorkloadConfig',
        workloadConfigValidation,
      ],
      [
        OllamaModelPickerFieldExtension,
        'OllamaModelPicker',
        ollamaModelPickerValidation,
      ],
      [
        GpuCountPickerFieldExtension,
        'GpuCountPicker',
        gpuCountPickerValidation,
      ],
    ] as const;
    for (const [Extension, name, validation] of fields) {
      const data = getComponentData<{
        name: string;
        validation: unknown;
        schema: { uiOptions: unknown };
      }>(<Extension />, 'scaffolder.extensions.field.v1');
      expect(data?.name).toBe(name);
      expect(data?.validation).toBe(validation);
      expect(data?.schema.uiOptions).toMatchObject({ type: 'object' });
    }
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
    ]);
    expect(
      data!.schema.uiOptions.properties.workloadTypes.items.enum,
    ).toContain('OLLAMA_INFERENCE_LOAD');
  });
});
