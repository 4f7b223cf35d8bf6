import { useState, type ReactNode } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import FormHelperText from '@mui/material/FormHelperText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  parseOllamaRef,
  type ModelSuggestion,
} from '@workload-catalog/plugin-workload-catalog-common';
import { describeNeeds, findSuggestion, formatSize } from './describeModel';

export interface ModelPickerProps {
  id: string;
  label: string;
  /** The reference as the user wrote or picked it. */
  value?: string;
  onChange(value: string | undefined): void;
  /** Called when the user picks a suggestion (not while typing). */
  onPick?(suggestion: ModelSuggestion): void;
  onBlur?(): void;
  suggestions: readonly ModelSuggestion[];
  loading?: boolean;
  /** Why the list may be short (an Ollama server that did not answer). */
  notice?: string;
  /** Free text is allowed by default (any Ollama reference); false limits to the list (other text is dropped). */
  allowArbitraryValues?: boolean;
  /** Checks typed text as an Ollama reference and shows the problem after the field is left. */
  checkFreeText?: boolean;
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
  description?: ReactNode;
  /** Marks the field as wrong (the messages are shown by the surrounding form). */
  error?: boolean;
  /** Messages to show under the field. */
  errors?: string[];
}

function SuggestionLine({ s }: { s: ModelSuggestion }) {
  const needs = describeNeeds(s);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', width: '100%' }}>
      <Box
        sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}
      >
        <Typography
          component="span"
          sx={{ fontFamily: 'monospace', fontWeight: 500 }}
        >
          {s.ref}
        </Typography>
        {s.sizeBytes !== undefined && (
          <Chip size="small" label={formatSize(s.sizeBytes)} />
        )}
        {s.parameterSize && (
          <Chip
            size="small"
            variant="outlined"
            label={`${s.parameterSize} params`}
          />
        )}
        {s.quantization && (
          <Chip size="small" variant="outlined" label={s.quantization} />
        )}
        <Typography component="span" variant="caption" color="text.secondary">
          {s.source === 'ollama'
            ? 'on the Ollama server'
            : 'suggested by the platform'}
        </Typography>
      </Box>
      {s.description && (
        <Typography variant="caption" color="text.secondary">
          {s.description}
        </Typography>
      )}
      <Typography variant="caption" color="text.secondary">
        {needs ?? 'size unknown'}
      </Typography>
    </Box>
  );
}

/**
 * An Ollama model: pick a suggestion (with its size and what it needs) or type any reference
 * `[host/][namespace/]name[:tag]`.
 */
export function ModelPicker(props: ModelPickerProps) {
  const {
    id,
    label,
    value,
    onChange,
    onPick,
    onBlur,
    suggestions,
    loading,
    notice,
    allowArbitraryValues = true,
    checkFreeText,
    placeholder,
    required,
    disabled,
    description,
    error,
    errors = [],
  } = props;
  const [left, setLeft] = useState(false);
  const picked = findSuggestion(suggestions, value);
  const parsed = value ? parseOllamaRef(value) : undefined;
  const ownErrors: string[] = [];
  if (left && value && checkFreeText && parsed && !parsed.ok)
    ownErrors.push(parsed.error);
  const shown = [...errors, ...ownErrors.filter(e => !errors.includes(e))];
  const needs = picked && describeNeeds(picked);
  return (
    <Box>
      <Autocomplete<ModelSuggestion, false, false, boolean>
        id={id}
        freeSolo={allowArbitraryValues}
        options={suggestions as ModelSuggestion[]}
        loading={loading}
        disabled={disabled}
        value={picked ?? (allowArbitraryValues && value ? value : null)}
        inputValue={value ?? ''}
        getOptionLabel={o => (typeof o === 'string' ? o : o.ref)}
        isOptionEqualToValue={(o, v) =>
          typeof v !== 'string' && o.ref === v.ref
        }
        onInputChange={(_e, text, reason) => {
          if (reason === 'reset' && text === (value ?? '')) return;
          onChange(text === '' ? undefined : text);
        }}
        onChange={(_e, v) => {
          if (v === null) {
            onChange(undefined);
          } else if (typeof v === 'string') {
            onChange(v);
          } else {
            onChange(v.ref);
            onPick?.(v);
          }
        }}
        onBlur={() => {
          setLeft(true);
          onBlur?.();
        }}
        renderOption={(optionProps, option) => {
          const { key, ...rest } = optionProps as typeof optionProps & {
            key: string;
          };
          return (
            <li key={key} {...rest}>
              <SuggestionLine s={option} />
            </li>
          );
        }}
        renderInput={params => (
          <TextField
            {...params}
            label={label}
            required={required}
            placeholder={placeholder}
            error={error || shown.length > 0}
            inputProps={{
              ...params.inputProps,
              spellCheck: false,
              autoCapitalize: 'none',
            }}
          />
        )}
      />
      {description ? <FormHelperText>{description}</FormHelperText> : null}
      {picked ? (
        <FormHelperText data-testid={`${id}-needs`}>
          {[
            picked.sizeBytes !== undefined
              ? formatSize(picked.sizeBytes)
              : undefined,
            needs ?? 'size unknown',
          ]
            .filter(Boolean)
            .join(' · ')}
        </FormHelperText>
      ) : (
        value &&
        parsed?.ok && (
          <FormHelperText data-testid={`${id}-needs`}>
            Not in the suggested list: its size is unknown, so choose the
            resources yourself.
          </FormHelperText>
        )
      )}
      {notice ? <FormHelperText>{notice}</FormHelperText> : null}
      {shown.map(e => (
        <FormHelperText key={e} error>
          {e}
        </FormHelperText>
      ))}
    </Box>
  );
}
