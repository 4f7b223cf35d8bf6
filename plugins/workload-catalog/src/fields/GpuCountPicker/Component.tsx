import { getUiOptions, type FieldProps } from '@rjsf/utils';
import { useFormOptions } from '../../api/hooks';
import { GpuCountSlider } from '../../components/GpuCountSlider';
import { workloadFormContext } from '../../components/WorkloadConfigForm/context';
import { effectiveMax } from './validation';
import type { GpuCountPickerUiOptions } from './schema';
import { gpuLimits } from '@workload-catalog/plugin-workload-catalog-common';

/** The GpuCountPicker field: a slider from 0 to the platform's GPU maximum. */
export function GpuCountPickerField(props: FieldProps<number>) {
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
  const own = useFormOptions(!ctx);
  const platformMax = gpuLimits(ctx ? ctx.policy : own.value.policy).perReplica;
  const max = effectiveMax(
    platformMax,
    getUiOptions(uiSchema) as GpuCountPickerUiOptions,
  );
  const id = idSchema.$id;
  const schemaDefault =
    typeof schema.default === 'number' ? schema.default : undefined;
  return (
    <GpuCountSlider
      id={id}
      label={String(uiSchema?.['ui:title'] ?? schema.title ?? name)}
      value={formData}
      defaultValue={schemaDefault}
      max={max}
      min={typeof schema.minimum === 'number' ? schema.minimum : 0}
      onChange={v => onChange(v, undefined, id)}
      onBlur={() => onBlur(id, formData)}
      required={required}
      disabled={disabled || readonly}
      description={schema.description}
      error={(rawErrors?.length ?? 0) > 0}
      recommended={ctx?.recommendedGpuCount}
    />
  );
}
