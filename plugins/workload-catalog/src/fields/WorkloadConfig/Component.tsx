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
    uiSchema,
    rawErrors,
    disabled,
    readonly,
  } = props;
  const options = getUiOptions(uiSchema) as WorkloadConfigUiOptions;
  const id = idSchema.$id;
  return (
    <WorkloadConfigForm
      idPrefix={id}
      value={formData}
      onChange={leaf => onChange(leaf, undefined, id)}
      workloadTypes={options.workloadTypes}
      defaultWorkloadType={options.defaultWorkloadType}
      showPreview={options.showPreview !== false}
      showAllErrors={(rawErrors?.length ?? 0) > 0}
      disabled={disabled || readonly}
    />
  );
}
