/**
 * Workload Catalog for apps on the new frontend system: the API, the scaffolder form fields
 * WorkloadConfig, OllamaModelPicker and GpuCountPicker, and on a workload's entity page the
 * deployment status card and the "Configure" tab.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { isWorkloadEntity } from './components/EntityWorkload/isWorkloadEntity';
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

/*
 * The scaffolder loads every form field before it shows a template; what these load is small,
 * and the fields' implementations follow when the browser is idle or a field is used.
 */

/** @alpha */
export const workloadConfigField = FormFieldBlueprint.make({
  name: 'workload-config',
  params: {
    field: () =>
      import('./fields/formFields').then(m => {
        m.preloadWhenIdle();
        return m.workloadConfigFormField;
      }),
  },
});

/** @alpha */
export const ollamaModelPickerField = FormFieldBlueprint.make({
  name: 'ollama-model-picker',
  params: {
    field: () =>
      import('./fields/formFields').then(m => {
        m.preloadWhenIdle();
        return m.ollamaModelPickerFormField;
      }),
  },
});

/** @alpha */
export const gpuCountPickerField = FormFieldBlueprint.make({
  name: 'gpu-count-picker',
  params: {
    field: () =>
      import('./fields/formFields').then(m => {
        m.preloadWhenIdle();
        return m.gpuCountPickerFormField;
      }),
  },
});

/**
 * @alpha The deployment status card on a workload's entity page (Overview), in the info
 * column beside the content cards, near the top.
 */
export const workloadStatusEntityCard = EntityCardBlueprint.make({
  name: 'workload-status',
  params: {
    type: 'info',
    filter: isWorkloadEntity,
    loader: () =>
      import('./components/EntityWorkload').then(m => (
        <m.EntityWorkloadStatusCard />
      )),
  },
});

/** @alpha The "Configure" tab of a workload's entity page. */
export const workloadConfigureEntityContent = EntityContentBlueprint.make({
  name: 'workload-configure',
  params: {
    path: '/configure',
    title: 'Configure',
    filter: isWorkloadEntity,
    loader: () =>
      import('./components/EntityWorkload').then(m => (
        <m.EntityWorkloadConfigureContent />
      )),
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
    workloadStatusEntityCard,
    workloadConfigureEntityContent,
  ],
});
