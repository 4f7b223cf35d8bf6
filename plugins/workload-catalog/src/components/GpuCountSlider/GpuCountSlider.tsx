import { type ReactNode } from 'react';
import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Slider from '@mui/material/Slider';
import Typography from '@mui/material/Typography';
import { GPU_COUNT_LIMIT } from '@workload-catalog/plugin-workload-catalog-common';

export interface GpuCountSliderProps {
  id: string;
  label: string;
  /** The chosen count; undefined shows `defaultValue` (the schema's default). */
  value?: number;
  defaultValue?: number;
  /** The platform's maximum (the slider's right end); capped at the schema's limit. */
  max: number;
  min?: number;
  onChange(value: number): void;
  onBlur?(): void;
  disabled?: boolean;
  required?: boolean;
  description?: ReactNode;
  /** Marks the field as wrong (the messages are shown by the surrounding form). */
  error?: boolean;
  /** Messages shown under the slider as errors. */
  errors?: string[];
  /** GPUs the chosen model needs, when known: a count below it is pointed out. */
  recommended?: number;
}

const plural = (n: number) => `${n} GPU${n === 1 ? '' : 's'}`;

/** Marks at every count; labels at every count up to 8, else at 0, every 4th and the end. */
export function gpuMarks(min: number, max: number) {
  const marks: { value: number; label?: string }[] = [];
  for (let v = min; v <= max; v++) {
    const labelled = max - min <= 8 || v === min || v === max || v % 4 === 0;
    marks.push(labelled ? { value: v, label: String(v) } : { value: v });
  }
  return marks;
}

/** GPUs per replica: an MUI slider with a mark per count, arrow keys, Home and End. */
export function GpuCountSlider(props: GpuCountSliderProps) {
  const {
    id,
    label,
    defaultValue = 1,
    onChange,
    onBlur,
    disabled,
    required,
    description,
    error,
    errors = [],
    recommended,
  } = props;
  const min = props.min ?? 0;
  const max = Math.max(min, Math.min(props.max, GPU_COUNT_LIMIT));
  const shown = props.value ?? defaultValue;
  const value = Math.min(Math.max(shown, min), max);
  const labelId = `${id}-label`;
  const noGpus = max === 0;
  return (
    <FormControl
      fullWidth
      error={error || errors.length > 0}
      required={required}
      disabled={disabled || noGpus}
    >
      <FormLabel id={labelId} htmlFor={id}>
        {label}
      </FormLabel>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 3, px: 1 }}>
        <Slider
          id={id}
          aria-labelledby={labelId}
          value={value}
          min={min}
          max={max}
          step={1}
          marks={gpuMarks(min, max)}
          valueLabelDisplay="auto"
          getAriaValueText={v => (v === 0 ? '0 GPUs (CPU only)' : plural(v))}
          disabled={disabled || noGpus}
          onChange={(_e, v) => onChange(Array.isArray(v) ? v[0] : v)}
          onBlur={onBlur}
          sx={{ flex: 1 }}
        />
        <Typography
          variant="body1"
          sx={{ minWidth: '8ch', textAlign: 'right' }}
          data-testid={`${id}-value`}
          aria-live="polite"
        >
          {value === 0 ? 'CPU only' : plural(value)}
        </Typography>
      </Box>
      {description ? (
        <FormHelperText error={false}>{description}</FormHelperText>
      ) : null}
      {noGpus ? (
        <FormHelperText error={false}>
          This platform offers no GPUs (maximum 0): the service runs on CPU.
        </FormHelperText>
      ) : (
        <FormHelperText error={false}>
          {`Per replica, 0 to ${max} (the platform's maximum).`}
          {recommended !== undefined && value < recommended
            ? ` The chosen model needs about ${plural(recommended)} to fit in GPU memory.`
            : ''}
        </FormHelperText>
      )}
      {errors.map(e => (
        <FormHelperText key={e}>{e}</FormHelperText>
      ))}
    </FormControl>
  );
}
