import { useApiHolder } from '@backstage/core-plugin-api';
import {
  DEFAULT_GPU_MEMORY_BYTES,
  gpuLimits,
  type FormOptionsResponse,
  type ModelSuggestionsResponse,
} from '@workload-catalog/plugin-workload-catalog-common';
import { useEffect, useState } from 'react';
import {
  workloadCatalogApiRef,
  type WorkloadCatalogApi,
} from './WorkloadCatalogApi';

export type Loadable<T> =
  | { state: 'loading'; value: T }
  | { state: 'ready'; value: T }
  | { state: 'error'; value: T; error: Error };

/** What the form uses when the backend cannot be asked: the schema's own limits. */
export const DEFAULT_FORM_OPTIONS: FormOptionsResponse = {
  policy: { maxGpuCount: gpuLimits({}).perReplica },
  gpuMemoryPerGpuBytes: DEFAULT_GPU_MEMORY_BYTES,
};

const EMPTY_SUGGESTIONS: ModelSuggestionsResponse = {
  models: [],
  sources: {
    config: { status: 'unconfigured' },
    ollama: { status: 'unconfigured' },
  },
};

const SUGGESTIONS_TTL_MS = 60_000;
const suggestionCache = new WeakMap<
  WorkloadCatalogApi,
  { at: number; promise: Promise<ModelSuggestionsResponse> }
>();

/** One request per page for all the pickers on it (a form can have several). */
function cachedSuggestions(
  api: WorkloadCatalogApi,
): Promise<ModelSuggestionsResponse> {
  const hit = suggestionCache.get(api);
  if (hit && Date.now() - hit.at < SUGGESTIONS_TTL_MS) return hit.promise;
  const promise = api.getModelSuggestions().catch(e => {
    suggestionCache.delete(api);
    throw e;
  });
  suggestionCache.set(api, { at: Date.now(), promise });
  return promise;
}

function useLoad<T>(
  fallback: T,
  load: ((api: WorkloadCatalogApi) => Promise<T>) | undefined,
  enabled: boolean,
) {
  const api = useApiHolder().get(workloadCatalogApiRef);
  const [result, setResult] = useState<Loadable<T>>(
    api && enabled
      ? { state: 'loading', value: fallback }
      : { state: 'ready', value: fallback },
  );
  useEffect(() => {
    if (!api || !enabled || !load) return undefined;
    let live = true;
    load(api).then(
      value => live && setResult({ state: 'ready', value }),
      error => live && setResult({ state: 'error', value: fallback, error }),
    );
    return () => {
      live = false;
    };
    // `load` and `fallback` are module constants at every call site
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, enabled]);
  return result;
}

/** Model suggestions from the backend; an empty list (and the error) when it cannot answer. */
export function useModelSuggestions(
  enabled = true,
): Loadable<ModelSuggestionsResponse> {
  return useLoad(EMPTY_SUGGESTIONS, cachedSuggestions, enabled);
}

const loadFormOptions = (api: WorkloadCatalogApi) => api.getFormOptions();

/** The platform policy; the schema's defaults until (or unless) the backend answers. */
export function useFormOptions(enabled = true): Loadable<FormOptionsResponse> {
  return useLoad(DEFAULT_FORM_OPTIONS, loadFormOptions, enabled);
}
