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
  /** The current leaf (for hints across fields: the GPUs the chosen model needs). */
  leaf: Record<string, unknown>;
}

export function workloadFormContext(
  formContext: unknown,
): WorkloadFormContext | undefined {
  const c = formContext as Partial<WorkloadFormContext> | undefined;
  return c?.workloadCatalogForm ? (c as WorkloadFormContext) : undefined;
}
