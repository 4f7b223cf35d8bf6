import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { withTheme, type IChangeEvent } from '@rjsf/core';
import { Theme as MuiTheme } from '@rjsf/mui';
import type { RegistryFieldsType, RJSFSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import {
  WORKLOAD_TYPES,
  describePreset,
  formatPath,
  isWorkloadType,
  leafGpuMemory,
  printLeaf,
  validateLeaf,
  type LeafIssue,
  type LeafPolicy,
  type ResourcePresetName,
  type WorkloadType,
} from '@workload-catalog/plugin-workload-catalog-common';
import { useFormOptions, useModelSuggestions } from '../../api/hooks';
import { GpuCountPickerField } from '../../fields/GpuCountPicker/Component';
import { OllamaModelPickerField } from '../../fields/OllamaModelPicker/Component';
import { cleanLeaf } from '../../lib/cleanLeaf';
import { describeWorkloadType, formSchemasFor } from '../../lib/formSchema';
import { ROOT_ID, isVisible, toErrorSchema } from '../../lib/leafErrors';
import { switchWorkloadType, type TypeStash } from '../../lib/switchType';
import { findSuggestion, suggestionFacts } from '../ModelPicker/describeModel';
import { YamlPreview } from '../YamlPreview';
import type { WorkloadFormContext } from './context';
import { GpuMemoryBreakdown } from './GpuMemoryBreakdown';
import { SectionTemplate } from './SectionTemplate';
import { proposePreset, type PresetProposal } from './proposePreset';

type Json = Record<string, any>;

const Form = withTheme<Json, RJSFSchema, any>(MuiTheme);

/**
 * RJSF needs a validator for its schema utilities; validation itself is the common package's
 * (see `issues` below). One instance for the page, and the rendering schemas are the same
 * objects every time, so nothing is compiled twice.
 */
const validator = customizeValidator<Json, RJSFSchema, any>();

const FIELDS = {
  OllamaModelPicker: OllamaModelPickerField,
  GpuCountPicker: GpuCountPickerField,
} as unknown as RegistryFieldsType<Json, RJSFSchema, any>;

const TEMPLATES = { ObjectFieldTemplate: SectionTemplate };

const DEFAULT_STATE_BEHAVIOUR = {
  emptyObjectFields: 'populateRequiredDefaults',
  constAsDefaults: 'always',
} as const;

export interface WorkloadConfigFormProps {
  /** The leaf so far (what onChange gave last, or a leaf to edit). */
  value?: Record<string, any>;
  /** Called with the cleaned leaf (no empty sections) on every change. */
  onChange?(leaf: Record<string, any>): void;
  /** The workload types offered (default: all). With one type, no type choice is shown. */
  workloadTypes?: readonly WorkloadType[];
  /** The type chosen when the value has none. */
  defaultWorkloadType?: WorkloadType;
  /** Show every problem, not only those of fields the user has left (after "Next"). */
  showAllErrors?: boolean;
  /** Show the YAML preview beside the form (default true). */
  showPreview?: boolean;
  /** The RJSF id prefix (default "root"). */
  idPrefix?: string;
  disabled?: boolean;
  /** The platform policy; asked from the backend when not given. */
  policy?: LeafPolicy;
  /** Top-level leaf fields shown read-only (set elsewhere, e.g. by the template's pickers). */
  readonlyFields?: readonly string[];
}

const sameJson = (a: unknown, b: unknown) =>
  a === b || JSON.stringify(a) === JSON.stringify(b);

/** Validation of the whole leaf against the union schema, timed for the benchmark. */
function checkLeaf(leaf: Json, policy: LeafPolicy): LeafIssue[] {
  const t0 = performance.now();
  const result = validateLeaf(leaf, policy);
  if (typeof performance.measure === 'function') {
    try {
      performance.measure('workload-catalog:validate', {
        start: t0,
        end: performance.now(),
      });
    } catch {
      // user timing with explicit start/end is missing in old browsers
    }
  }
  return result.issues;
}

function initialValue(
  props: WorkloadConfigFormProps,
  types: readonly WorkloadType[],
): Json {
  const value = props.value ?? {};
  if (isWorkloadType(value.workloadType)) return value;
  const type =
    props.defaultWorkloadType ?? (types.length === 1 ? types[0] : undefined);
  return type ? { ...value, workloadType: type } : value;
}

/** The previous value when the new one is equal (JSON), so memoized consumers keep still. */
function useStable<T>(value: T): T {
  const ref = useRef(value);
  if (ref.current !== value && !sameJson(ref.current, value))
    ref.current = value;
  return ref.current;
}

/**
 * The workload form: choose a workload type, fill in that type's sections, see the leaf as
 * YAML. Rendered by RJSF from the generated JSON Schema and uiSchema; the inline errors are the
 * messages of the common package's validateLeaf, the same the backend and the CLI give.
 *
 * Typing stays cheap: the handlers are stable, the RJSF element is memoized (a re-render from
 * the surrounding scaffolder form does not re-render the fields), and nothing that changes per
 * keystroke goes into RJSF's formContext (that would re-render every field).
 */
export function WorkloadConfigForm(props: WorkloadConfigFormProps) {
  const {
    showAllErrors = false,
    showPreview = true,
    idPrefix = ROOT_ID,
    disabled,
  } = props;
  const types = useMemo(
    () =>
      props.workloadTypes && props.workloadTypes.length > 0
        ? props.workloadTypes
        : WORKLOAD_TYPES,
    [props.workloadTypes],
  );
  const [data, setData] = useState<Json>(() => initialValue(props, types));
  const [stash, setStash] = useState<TypeStash>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [autoPreset, setAutoPreset] = useState(false);
  const [proposal, setProposal] = useState<PresetProposal | undefined>();
  const emitted = useRef<Json | undefined>(undefined);

  const options = useFormOptions(!props.policy);
  const suggestions = useModelSuggestions();
  const policy = props.policy ?? options.value.policy;

  const type = isWorkloadType(data.workloadType)
    ? data.workloadType
    : undefined;
  const typeSchemas = type ? formSchemasFor(type, policy) : undefined;
  const readonlyKey = (props.readonlyFields ?? []).join(',');
  const schemas = useMemo(() => {
    if (!typeSchemas || !readonlyKey) return typeSchemas;
    const uiSchema: Record<string, any> = { ...typeSchemas.uiSchema };
    for (const field of readonlyKey.split(',')) {
      uiSchema[field] = {
        ...uiSchema[field],
        'ui:readonly': true,
        'ui:help': 'Set by the picker above',
      };
    }
    return { ...typeSchemas, uiSchema };
  }, [typeSchemas, readonlyKey]);
  const leaf = useMemo(() => cleanLeaf(data), [data]);
  const issues = useStable(
    useMemo(() => checkLeaf(leaf, policy), [leaf, policy]),
  );
  const yaml = useMemo(
    () =>
      Object.keys(leaf).length === 0
        ? '# choose a workload type\n'
        : printLeaf(leaf),
    [leaf],
  );

  // The latest props and state for the stable handlers below.
  const latest = useRef({
    onChange: props.onChange,
    data,
    autoPreset,
    models: suggestions.value.models,
  });
  latest.current = {
    onChange: props.onChange,
    data,
    autoPreset,
    models: suggestions.value.models,
  };

  const emit = useCallback((next: Json) => {
    const cleaned = cleanLeaf(next);
    emitted.current = cleaned;
    latest.current.onChange?.(cleaned);
  }, []);

  // A value from outside (not the one this form emitted) replaces the form's state.
  useEffect(() => {
    if (props.value === undefined || sameJson(props.value, emitted.current))
      return;
    const next = initialValue(props, types);
    emitted.current = cleanLeaf(next);
    setData(next);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.value]);

  // The starting value (a default type, a template's default) is the value from the start.
  useEffect(() => {
    if (type) emit(data);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const handleChange = useCallback(
    (e: IChangeEvent<Json, RJSFSchema, any>, id?: string) => {
      const { data: prev, autoPreset: auto, models } = latest.current;
      // A change in the container's resources is the user's own choice of size.
      const userSized =
        id?.startsWith(`${idPrefix}_container_resource`) ?? false;
      const proposed = proposePreset(
        prev,
        e.formData ?? {},
        models,
        auto && !userSized,
      );
      const next = proposed.value;
      if (proposed.proposal || next.model !== prev.model)
        setProposal(proposed.proposal);
      setAutoPreset(proposed.autoPreset);
      setData(next);
      emit(next);
    },
    [emit, idPrefix],
  );

  const handleBlur = useCallback((id: string) => {
    setTouched(prev => (prev.has(id) ? prev : new Set(prev).add(id)));
  }, []);

  const chooseType = (to: WorkloadType) => {
    if (to === type) return;
    const switched = switchWorkloadType(data, to, stash);
    setStash(switched.stash);
    setProposal(undefined);
    setData(switched.value);
    emit(switched.value);
  };

  const applyProposal = () => {
    if (!proposal) return;
    const { resources: _dropped, ...container } = data.container ?? {};
    const next = {
      ...data,
      container: { ...container, resourcePreset: proposal.preset },
    };
    setAutoPreset(true);
    setProposal({ ...proposal, applied: true });
    setData(next);
    emit(next);
  };

  const visible = useMemo(
    () =>
      showAllErrors
        ? issues
        : issues.filter(i => isVisible(i, touched, idPrefix)),
    [issues, showAllErrors, touched, idPrefix],
  );
  const extraErrors = useMemo(
    () => toErrorSchema(visible.filter(i => i.path.length > 0)),
    [visible],
  );

  const model =
    typeof data.model === 'string'
      ? findSuggestion(suggestions.value.models, data.model)
      : undefined;
  // The GPU-memory estimate of every model the leaf declares, with its context and slots.
  const models = suggestions.value.models;
  const gpuMemory = useMemo(
    () =>
      type === 'OLLAMA_INFERENCE_LOAD'
        ? leafGpuMemory(leaf, {
            gpuMemoryBytes: options.value.gpuMemoryPerGpuBytes,
            maxGpus: options.value.policy.maxGpuCount,
            facts: ref => suggestionFacts(models, ref),
          })
        : undefined,
    [type, leaf, options.value, models],
  );
  let recommendedGpuCount = model?.needs?.gpuCount;
  if (gpuMemory)
    recommendedGpuCount = gpuMemory.smallest.fits
      ? gpuMemory.smallest.gpuCount
      : undefined;
  const formContext = useMemo<WorkloadFormContext>(
    () => ({
      workloadCatalogForm: true,
      idPrefix,
      policy,
      formOptions: options.value,
      suggestions: suggestions.value,
      suggestionsLoading: suggestions.state === 'loading',
      suggestionsError:
        suggestions.state === 'error' ? suggestions.error.message : undefined,
      recommendedGpuCount,
    }),
    [idPrefix, policy, options.value, suggestions, recommendedGpuCount],
  );

  const form = useMemo(
    () =>
      schemas && (
        <Form
          tagName="div"
          schema={schemas.schema}
          uiSchema={schemas.uiSchema}
          formData={data}
          validator={validator}
          fields={FIELDS}
          templates={TEMPLATES}
          formContext={formContext}
          idPrefix={idPrefix}
          onChange={handleChange}
          onBlur={handleBlur}
          extraErrors={extraErrors}
          noValidate
          noHtml5Validate
          showErrorList={false}
          disabled={disabled}
          experimental_defaultFormStateBehavior={DEFAULT_STATE_BEHAVIOUR}
        />
      ),
    [
      schemas,
      data,
      formContext,
      idPrefix,
      handleChange,
      handleBlur,
      extraErrors,
      disabled,
    ],
  );

  const typeChoice =
    types.length > 1 ? (
      <TextField
        select
        fullWidth
        id={`${idPrefix}_workloadType`}
        label="Workload type"
        value={type ?? ''}
        disabled={disabled}
        onChange={e =>
          isWorkloadType(e.target.value) && chooseType(e.target.value)
        }
        helperText={
          type
            ? describeWorkloadType(type).description
            : 'What to deploy: the form shows the sections this type needs.'
        }
        SelectProps={{
          renderValue: v => describeWorkloadType(v as WorkloadType).title,
        }}
      >
        {types.map(t => {
          const d = describeWorkloadType(t);
          return (
            <MenuItem key={t} value={t}>
              <ListItemText primary={d.title} secondary={d.description} />
            </MenuItem>
          );
        })}
      </TextField>
    ) : (
      <Box>
        <Typography variant="overline" color="text.secondary">
          Workload type
        </Typography>
        <Typography variant="h6">
          {type ? describeWorkloadType(type).title : ''}
        </Typography>
        {type && (
          <Typography variant="body2" color="text.secondary">
            {describeWorkloadType(type).description}
          </Typography>
        )}
      </Box>
    );

  const hiddenCount = issues.length - visible.length;
  const status =
    issues.length === 0
      ? { ok: true, text: 'Valid leaf: ready for a pull request' }
      : {
          ok: false,
          text: `${issues.length} problem${issues.length === 1 ? '' : 's'} to fix${
            hiddenCount > 0
              ? ` (fields not filled in yet: ${[...new Set(issues.filter(i => !visible.includes(i)).map(i => formatPath(i.path)))].slice(0, 6).join(', ')}${hiddenCount > 6 ? ', ...' : ''})`
              : ''
          }`,
        };
  const rootIssues = visible.filter(i => i.path.length === 0);

  return (
    <Grid container spacing={3} data-testid="workload-config-form">
      <Grid item xs={12} md={showPreview ? 7 : 12}>
        <Box sx={{ mb: 2 }}>{typeChoice}</Box>
        {rootIssues.map(i => (
          <Alert key={i.message} severity="error" sx={{ mb: 2 }}>
            {i.message}
          </Alert>
        ))}
        {proposal && (
          <Alert
            severity="info"
            sx={{ mb: 2 }}
            data-testid="preset-proposal"
            action={
              proposal.applied ? undefined : (
                <Button color="inherit" size="small" onClick={applyProposal}>
                  Use {proposal.preset}
                </Button>
              )
            }
          >
            {proposal.applied
              ? `Resource preset set for ${proposal.model}: ${describePreset(proposal.preset as ResourcePresetName)}`
              : `${proposal.model} fits the "${proposal.preset}" preset; you chose resources yourself.`}
          </Alert>
        )}
        {gpuMemory && <GpuMemoryBreakdown memory={gpuMemory} />}
        {form}
      </Grid>
      {showPreview && (
        <Grid item xs={12} md={5}>
          <Box sx={{ position: { md: 'sticky' }, top: { md: 16 } }}>
            <YamlPreview yaml={yaml} status={status} />
          </Box>
        </Grid>
      )}
    </Grid>
  );
}
