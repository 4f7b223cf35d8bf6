import type {
  FormOptionsResponse,
  LeafPolicy,
  ModelSuggestionsResponse,
} from '@workload-catalog/plugin-workload-catalog-common';

/**
 * What WorkloadConfigForm tells the fields it renders (RJSF formContext). The same fields also
 * run alone as scaffolder field extensions, where this context is absent and they ask the
 * backend themselves.
 */
export interface WorkloadFormContext {
  workloadCatalogForm: true;
  /** The form's RJSF id prefix. */
  idPrefix: string;
  policy: LeafPolicy;
  formOptions: FormOptionsResponse;
  suggestions: ModelSuggestionsResponse;
  suggestionsLoading: boolean;
  suggestionsError?: string;
  /**
   * GPUs the chosen model needs, when known. (Not the whole leaf: a context that changes on
   * every keystroke would make RJSF re-render every field.)
   */
  recommendedGpuCount?: number;
}

export function workloadFormContext(
  formContext: unknown,
): WorkloadFormContext | undefined {
  const c = formContext as Partial<WorkloadFormContext> | undefined;
  return c?.workloadCatalogForm ? (c as WorkloadFormContext) : undefined;
}
