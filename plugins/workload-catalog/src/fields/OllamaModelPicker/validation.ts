import type { ApiHolder } from '@backstage/core-plugin-api';
import type { FieldValidation } from '@rjsf/utils';
import { workloadCatalogApiRef } from '../../api/WorkloadCatalogApi';
import { findSuggestion } from '../../components/ModelPicker/describeModel';
import { issuesAt } from '../issuesAt';
import type { OllamaModelPickerUiOptions } from './schema';

/**
 * Checks the picked or typed reference with the common package's model rule (the message the
 * backend and CLI give), and, when the template allows only suggestions, that it is one.
 */
export async function ollamaModelPickerValidation(
  value: string | undefined,
  validation: FieldValidation,
  context?: {
    apiHolder?: ApiHolder;
    uiSchema?: { 'ui:options'?: OllamaModelPickerUiOptions };
  },
): Promise<void> {
  if (value === undefined || value === '') return; // "required" is the schema's job
  for (const message of issuesAt(['model'], value))
    validation.addError(message);
  const options = context?.uiSchema?.['ui:options'];
  if (options?.allowArbitraryValues === false) {
    const fromTemplate = (options.models ?? []).map(ref => ({
      ref,
      source: 'config' as const,
    }));
    const api = context?.apiHolder?.get(workloadCatalogApiRef);
    const fromPlatform = api ? (await api.getModelSuggestions()).models : [];
    if (!findSuggestion([...fromTemplate, ...fromPlatform], value)) {
      validation.addError('must be one of the suggested models');
    }
  }
}
