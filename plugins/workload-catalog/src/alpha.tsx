/**
 * Workload Catalog for apps on the new frontend system: the API and the scaffolder form fields
 * WorkloadConfig, OllamaModelPicker and GpuCountPicker.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { WorkloadCatalogClient, workloadCatalogApiRef } from './api';

/** @alpha */
export const workloadCatalogApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: workloadCatalogApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new WorkloadCatalogClient({ discoveryApi, fetchApi }),
    }),
});

/** @alpha */
export const workloadConfigField = FormFieldBlueprint.make({
  name: 'workload-config',
  params: {
    field: () =>
      import('./fields/formFields').then(m => m.workloadConfigFormField),
  },
});

/** @alpha */
export const ollamaModelPickerField = FormFieldBlueprint.make({
  name: 'ollama-model-picker',
  params: {
    field: () =>
      import('./fields/formFields').then(m => m.ollamaModelPickerFormField),
  },
});

/** @alpha */
export const gpuCountPickerField = FormFieldBlueprint.make({
  name: 'gpu-count-picker',
  params: {
    field: () =>
      import('./fields/formFields').then(m => m.gpuCountPickerFormField),
  },
});

/** @alpha */
export default createFrontendPlugin({
  pluginId: 'workload-catalog',
  extensions: [
    workloadCatalogApi,
    workloadConfigField,
    ollamaModelPickerField,
    gpuCountPickerField,
  ],
});
