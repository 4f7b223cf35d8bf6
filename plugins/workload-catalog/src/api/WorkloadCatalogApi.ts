import { createApiRef } from '@backstage/core-plugin-api';
import type {
  FormOptionsResponse,
  ModelSuggestionsResponse,
  WorkloadConfigurationCurrent,
  WorkloadConfigurationResponse,
  WorkloadStatusResponse,
} from '@workload-catalog/plugin-workload-catalog-common';

/** A workload's entity: kind, namespace and name (as in `component:default/ollama-phi-dev`). */
export interface WorkloadEntityRef {
  kind: string;
  namespace: string;
  name: string;
}

/** What the form asks the workload-catalog backend. The frontend never holds a token. */
export interface WorkloadCatalogApi {
  /** Models for the picker: the configured list plus what the Ollama server reports. */
  getModelSuggestions(): Promise<ModelSuggestionsResponse>;
  /** The platform policy the form checks against (GPU maximum, environments, namespaces). */
  getFormOptions(): Promise<FormOptionsResponse>;
  /** A workload's deployment status: pull request, Argo CD, models, as one timeline. */
  getWorkloadStatus(entity: WorkloadEntityRef): Promise<WorkloadStatusResponse>;
  /** A workload's leaf as it is now, and whether the user may change it. */
  getWorkloadConfiguration(
    entity: WorkloadEntityRef,
  ): Promise<WorkloadConfigurationCurrent>;
  /** Opens an update pull request with the changed leaf. */
  proposeWorkloadConfiguration(
    entity: WorkloadEntityRef,
    leaf: unknown,
  ): Promise<WorkloadConfigurationResponse>;
}

export const workloadCatalogApiRef = createApiRef<WorkloadCatalogApi>({
  id: 'plugin.workload-catalog.api',
});
