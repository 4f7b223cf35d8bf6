import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  FormOptionsResponse,
  ModelSuggestionsResponse,
} from '@workload-catalog/plugin-workload-catalog-common';
import type { WorkloadCatalogApi } from './WorkloadCatalogApi';

/** Talks to /api/workload-catalog through Backstage's fetchApi (which adds the user's token). */
export class WorkloadCatalogClient implements WorkloadCatalogApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private formOptions?: Promise<FormOptionsResponse>;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  private async get<T>(path: string): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl('workload-catalog');
    const res = await this.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  getModelSuggestions(): Promise<ModelSuggestionsResponse> {
    return this.get('/models');
  }

  /** The policy does not change while the app runs: asked once, a failure is asked again. */
  getFormOptions(): Promise<FormOptionsResponse> {
    if (!this.formOptions) {
      this.formOptions = this.get<FormOptionsResponse>('/form-options').catch(
        e => {
          this.formOptions = undefined;
          throw e;
        },
      );
    }
    return this.formOptions;
  }
}
