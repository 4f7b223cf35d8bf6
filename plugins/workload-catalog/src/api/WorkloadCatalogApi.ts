import { createApiRef } from '@backstage/core-plugin-api';
import type {
  FormOptionsResponse,
  ModelSuggestionsResponse,
} from '@workload-catalog/plugin-workload-catalog-common';

/** What the form asks the workload-catalog backend. The frontend never holds a token. */
export interface WorkloadCatalogApi {
  /** Models for the picker: the configured list plus what the Ollama server reports. */
  getModelSuggestions(): Promise<ModelSuggestionsResponse>;
  /** The platform policy the form checks against (GPU maximum, environments, namespaces). */
  getFormOptions(): Promise<FormOptionsResponse>;
}

export const workloadCatalogApiRef = createApiRef<WorkloadCatalogApi>({
  id: 'plugin.workload-catalog.api',
});
