import { useEffect, useMemo } from 'react';
import { getUiOptions, type FieldProps } from '@rjsf/utils';
import { WorkloadConfigForm } from '../../components/WorkloadConfigForm';
import { leafFieldsFromPickers } from '../../lib/pickedEntities';
import type { WorkloadConfigUiOptions } from './schema';

const sameJson = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

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
    registry,
  } = props;
  const options = getUiOptions(uiSchema) as WorkloadConfigUiOptions;
  const id = idSchema.$id;
  // The scaffolder gives every field the whole form's values as formContext.formData: the
  // template's OwnerPicker and System EntityPicker set the leaf's owner and catalog.
  const siblings = (
    registry.formContext as { formData?: Record<string, unknown> } | undefined
  )?.formData;
  const ownerPicked = options.ownerParameter
    ? siblings?.[options.ownerParameter]
    : undefined;
  const systemPicked = options.catalogParameter
    ? siblings?.[options.catalogParameter]
    : undefined;
  const picked = useMemo(
    () => leafFieldsFromPickers({ owner: ownerPicked, system: systemPicked }),
    [ownerPicked, systemPicked],
  );
  const readonlyFields = useMemo(() => Object.keys(picked), [picked]);
  // The template's `default` for the parameter: RJSF does not fill in the default of an
  // object that declares no properties of its own.
  const own =
    formData && Object.keys(formData).length > 0
      ? formData
      : (schema.default as Record<string, unknown> | undefined);
  const value = useMemo(
    () => (readonlyFields.length ? { ...own, ...picked } : own),
    [own, picked, readonlyFields],
  );
  // A picker changed: the leaf follows at once, not only at the next edit of the form.
  useEffect(() => {
    if (readonlyFields.length && formData && !sameJson(formData, value))
      onChange(value, undefined, id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [picked]);
  return (
    <WorkloadConfigForm
      idPrefix={id}
      value={value}
      readonlyFields={readonlyFields}
      onChange={leaf => onChange({ ...leaf, ...picked }, undefined, id)}
      workloadTypes={options.workloadTypes}
      defaultWorkloadType={options.defaultWorkloadType}
      showPreview={options.showPreview !== false}
      showAllErrors={(rawErrors?.length ?? 0) > 0}
      disabled={disabled || readonly}
    />
  );
}
