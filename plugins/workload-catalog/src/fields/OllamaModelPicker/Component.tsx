import { useMemo } from 'react';
import { getUiOptions, type FieldProps } from '@rjsf/utils';
import {
  parseOllamaRef,
  type ModelSuggestion,
} from '@workload-catalog/plugin-workload-catalog-common';
import { useModelSuggestions } from '../../api/hooks';
import { ModelPicker } from '../../components/ModelPicker';
import { workloadFormContext } from '../../components/WorkloadConfigForm/context';
import type { OllamaModelPickerUiOptions } from './schema';

function suggestionNotice(status: {
  status: string;
  message?: string;
}): string | undefined {
  return status.status === 'unavailable'
    ? `The Ollama server's models are not listed: ${status.message}`
    : undefined;
}

/**
 * The OllamaModelPicker field: inside WorkloadConfigForm it uses the form's suggestions and
 * errors; alone in a template it loads the suggestions and checks free text itself.
 */
export function OllamaModelPickerField(props: FieldProps<string>) {
  const {
    idSchema,
    formData,
    onChange,
    onBlur,
    schema,
    uiSchema,
    required,
    disabled,
    readonly,
    rawErrors,
    registry,
    name,
  } = props;
  const ctx = workloadFormContext(registry.formContext);
  const own = useModelSuggestions(!ctx);
  const options = getUiOptions(uiSchema) as OllamaModelPickerUiOptions & {
    placeholder?: string;
  };
  const suggestions = ctx ? ctx.suggestions : own.value;
  const loading = ctx ? ctx.suggestionsLoading : own.state === 'loading';
  const ownError = own.state === 'error' ? own.error.message : undefined;
  const loadError = ctx ? ctx.suggestionsError : ownError;
  const models = useMemo(() => {
    const fromTemplate: ModelSuggestion[] = [];
    for (const ref of options.models ?? []) {
      const r = parseOllamaRef(ref);
      if (r.ok && !suggestions.models.some(m => m.ref === ref))
        fromTemplate.push({ ref, source: 'config' });
    }
    return [...fromTemplate, ...suggestions.models];
  }, [options.models, suggestions.models]);
  const notice = loadError
    ? `Model suggestions are not available (${loadError}); type a reference such as "llama3.2:3b".`
    : suggestionNotice(suggestions.sources.ollama);
  const id = idSchema.$id;
  return (
    <ModelPicker
      id={id}
      label={String(uiSchema?.['ui:title'] ?? schema.title ?? name)}
      value={formData}
      onChange={v => onChange(v, undefined, id)}
      onBlur={() => onBlur(id, formData)}
      suggestions={models}
      loading={loading}
      notice={notice}
      allowArbitraryValues={options.allowArbitraryValues !== false}
      checkFreeText={!ctx}
      placeholder={options.placeholder}
      required={required}
      disabled={disabled || readonly}
      description={schema.description}
      error={(rawErrors?.length ?? 0) > 0}
    />
  );
}
