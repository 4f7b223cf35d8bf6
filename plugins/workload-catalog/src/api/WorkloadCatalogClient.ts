import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  FormOptionsResponse,
  ModelSuggestionsResponse,
  WorkloadConfigurationCurrent,
  WorkloadConfigurationResponse,
  WorkloadStatusResponse,
} from '@workload-catalog/plugin-workload-catalog-common';
import type {
  WorkloadCatalogApi,
  WorkloadEntityRef,
} from './WorkloadCatalogApi';

const workloadPath = (e: WorkloadEntityRef) =>
  `/workloads/${[e.namespace, e.kind, e.name].map(encodeURIComponent).join('/')}`;

/** Talks to /api/workload-catalog through Backstage's fetchApi (which adds the user's token). */
export class WorkloadCatalogClient implements WorkloadCatalogApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private formOptions?: Promise<FormOptionsResponse>;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  private async get<T>(path: string, init?: RequestInit): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl('workload-catalog');
    const res = await this.fetchApi.fetch(`${base}${path}`, init);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  getWorkloadStatus(
    entity: WorkloadEntityRef,
  ): Promise<WorkloadStatusResponse> {
    return this.get(`${workloadPath(entity)}/status`);
  }

  getWorkloadConfiguration(
    entity: WorkloadEntityRef,
  ): Promise<WorkloadConfigurationCurrent> {
    return this.get(`${workloadPath(entity)}/configuration`);
  }

  proposeWorkloadConfiguration(
    entity: WorkloadEntityRef,
    leaf: unknown,
  ): Promise<WorkloadConfigurationResponse> {
    return this.get(`${workloadPath(entity)}/configuration`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ leaf }),
    });
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
