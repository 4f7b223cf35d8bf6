import { getUiOptions, type FieldProps } from '@rjsf/utils';
import { WorkloadConfigForm } from '../../components/WorkloadConfigForm';
import type { WorkloadConfigUiOptions } from './schema';

/**
 * The WorkloadConfig field: the whole workload form as one template parameter, whose value is
 * the leaf. Its errors show inline as the user goes; after "Next" every remaining one shows.
 */
export function WorkloadConfigField(
  props: FieldProps<Record<string, unknown>>,
) {
  const {
    idSchema,
    formData,
    onChange,
    schema,
    uiSchema,
    rawErrors,
    disabled,
    readonly,
  } = props;
  const options = getUiOptions(uiSchema) as WorkloadConfigUiOptions;
  const id = idSchema.$id;
  // The template's `default` for the parameter: RJSF does not fill in the default of an
  // object that declares no properties of its own.
  const value =
    formData && Object.keys(formData).length > 0
      ? formData
      : (schema.default as Record<string, unknown> | undefined);
  return (
    <WorkloadConfigForm
      idPrefix={id}
      value={value}
      onChange={leaf => onChange(leaf, undefined, id)}
      workloadTypes={options.workloadTypes}
      defaultWorkloadType={options.defaultWorkloadType}
      showPreview={options.showPreview !== false}
      showAllErrors={(rawErrors?.length ?? 0) > 0}
      disabled={disabled || readonly}
    />
  );
}
