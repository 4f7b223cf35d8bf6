import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  createScaffolderFieldExtension,
  type FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';

import { WorkloadCatalogClient, workloadCatalogApiRef } from './api';
import type { EntityWorkloadStatusCardProps } from './components/EntityWorkload';
import {
  GpuCountPickerSchema,
  type GpuCountPickerUiOptions,
} from './fields/GpuCountPicker/schema';
import {
  OllamaModelPickerSchema,
  type OllamaModelPickerUiOptions,
} from './fields/OllamaModelPicker/schema';
import {
  WorkloadConfigSchema,
  type WorkloadConfigUiOptions,
} from './fields/WorkloadConfig/schema';
import {
  LazyGpuCountPickerField,
  LazyOllamaModelPickerField,
  LazyWorkloadConfigField,
  lazyGpuCountPickerValidation,
  lazyOllamaModelPickerValidation,
  lazyWorkloadConfigValidation,
} from './fields/lazyFields';

/** The frontend plugin for apps on the legacy frontend system. */
export const workloadCatalogPlugin = createPlugin({
  id: 'workload-catalog',
  apis: [
    createApiFactory({
      api: workloadCatalogApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new WorkloadCatalogClient({ discoveryApi, fetchApi }),
    }),
  ],
});

// RJSF field components are typed on RJSF's FieldProps; the scaffolder's props are a superset.
// The components and validations load when a template uses them (fields/lazyFields).
const asExtension = <T, O>(c: unknown) =>
  c as (props: FieldExtensionComponentProps<T, O>) => JSX.Element;

/** `ui:field: WorkloadConfig`: the whole workload form as one parameter whose value is the leaf. */
export const WorkloadConfigFieldExtension = workloadCatalogPlugin.provide(
  createScaffolderFieldExtension<
    Record<string, unknown>,
    WorkloadConfigUiOptions
  >({
    name: 'WorkloadConfig',
    component: asExtension(LazyWorkloadConfigField),
    validation: lazyWorkloadConfigValidation,
    schema: WorkloadConfigSchema,
  }),
);

/** `ui:field: OllamaModelPicker`: an Ollama model reference with suggestions. */
export const OllamaModelPickerFieldExtension = workloadCatalogPlugin.provide(
  createScaffolderFieldExtension<string, OllamaModelPickerUiOptions>({
    name: 'OllamaModelPicker',
    component: asExtension(LazyOllamaModelPickerField),
    validation: lazyOllamaModelPickerValidation,
    schema: OllamaModelPickerSchema,
  }),
);

/** `ui:field: GpuCountPicker`: a GPU count slider bounded by the platform's maximum. */
export const GpuCountPickerFieldExtension = workloadCatalogPlugin.provide(
  createScaffolderFieldExtension<number, GpuCountPickerUiOptions>({
    name: 'GpuCountPicker',
    component: asExtension(LazyGpuCountPickerField),
    validation: lazyGpuCountPickerValidation,
    schema: GpuCountPickerSchema,
  }),
);

/**
 * The deployment status card of a workload's entity page (legacy frontend system):
 * `<EntitySwitch.Case if={isWorkloadEntity}><EntityWorkloadStatusCard /></EntitySwitch.Case>`.
 */
export const EntityWorkloadStatusCard: (
  props: EntityWorkloadStatusCardProps,
) => JSX.Element = workloadCatalogPlugin.provide(
  createComponentExtension({
    name: 'EntityWorkloadStatusCard',
    component: {
      lazy: () =>
        import('./components/EntityWorkload').then(
          m => m.EntityWorkloadStatusCard,
        ),
    },
  }),
);

/**
 * The "Configure" tab of a workload's entity page (legacy frontend system):
 * `<EntityLayout.Route path="/configure" title="Configure" if={isWorkloadEntity}>`.
 */
export const EntityWorkloadConfigureContent: () => JSX.Element =
  workloadCatalogPlugin.provide(
    createComponentExtension({
      name: 'EntityWorkloadConfigureContent',
      component: {
        lazy: () =>
          import('./components/EntityWorkload').then(
            m => m.EntityWorkloadConfigureContent,
          ),
      },
    }),
  );
