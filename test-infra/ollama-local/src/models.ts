/*
 * The models of the local Ollama: what /api/tags (pulled) and /api/ps (loaded) report, in
 * the shapes an Ollama 0.12 server answers. A few library models have their real sizes,
 * digests and details, so a test that pulls "phi" sees what Ollama would report.
 */
import { createHash } from 'node:crypto';

export interface ModelDetails {
  parent_model: string;
  format: string;
  family: string;
  families: string[];
  parameter_size: string;
  quantization_level: string;
}

/** One entry of /api/tags. */
export interface TagsModel {
  name: string;
  model: string;
  modified_at: string;
  size: number;
  digest: string;
  details: ModelDetails;
}

/** One entry of /api/ps. */
export interface PsModel {
  name: string;
  model: string;
  size: number;
  digest: string;
  details: ModelDetails;
  expires_at: string;
  size_vram: number;
  context_length: number;
}

/** What a test may say about a model it pulls; the rest comes from KNOWN_MODELS or defaults. */
export interface ModelSpec {
  name: string;
  size?: number;
  digest?: string;
  modifiedAt?: Date;
  details?: Partial<ModelDetails>;
}

const known = (
  size: number,
  digest: string,
  family: string,
  parameterSize: string,
  quantization: string,
): Omit<TagsModel, 'name' | 'model' | 'modified_at'> => ({
  size,
  digest,
  details: {
    parent_model: '',
    format: 'gguf',
    family,
    families: [family],
    parameter_size: parameterSize,
    quantization_level: quantization,
  },
});

/** Library models with the sizes and details the Ollama library reports for them. */
export const KNOWN_MODELS: Record<
  string,
  Omit<TagsModel, 'name' | 'model' | 'modified_at'>
> = {
  'phi:latest': known(
    1602463378,
    'e2fd6321a5fe6bb3ac8a4e6f1cf04477fd2dea2924cf53237a995387e152ee9c',
    'phi2',
    '3B',
    'Q4_0',
  ),
  'llama3.2:3b': known(
    2019393189,
    'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
    'llama',
    '3.2B',
    'Q4_K_M',
  ),
  'llama3.1:8b': known(
    4920753328,
    '46e0c10c039e019119339687c3c1757cc81b9da49709a3b3924863ba87ca666e',
    'llama',
    '8.0B',
    'Q4_K_M',
  ),
  'mistral:7b': known(
    4113301824,
    'f974a74358d62a017b37c6f424fcdf2744ca02926c4f952513ddf474b2fa5091',
    'llama',
    '7.2B',
    'Q4_0',
  ),
  'nomic-embed-text:v1.5': known(
    274302450,
    '0a109f422b47e3a30ba2b10eca18548e944e8a23073ee3f3e947efcf3c45e59f',
    'nomic-bert',
    '137M',
    'F16',
  ),
};

/**
 * The name Ollama lists a model under: a tag added when missing (":latest"), the default
 * registry and the "library" namespace left out, a digest pin dropped.
 */
export function ollamaName(ref: string): string {
  let name = ref.trim().replace(/@sha256:[0-9a-f]+$/i, '');
  name = name.replace(/^registry\.ollama\.ai\//, '').replace(/^library\//, '');
  const lastSlash = name.lastIndexOf('/');
  if (!name.slice(lastSlash + 1).includes(':')) name += ':latest';
  return name;
}

function rfc3339Nano(date: Date): string {
  // Ollama (Go) prints nanoseconds and the local offset; UTC keeps tests stable.
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** The /api/tags entry of a model spec. */
export function tagsEntry(spec: ModelSpec, now: Date = new Date()): TagsModel {
  const name = ollamaName(spec.name);
  const base = KNOWN_MODELS[name];
  const digest =
    spec.digest ??
    base?.digest ??
    createHash('sha256').update(name).digest('hex');
  const details: ModelDetails = {
    ...(base?.details ?? {
      parent_model: '',
      format: 'gguf',
      family: 'llama',
      families: ['llama'],
      parameter_size: '7B',
      quantization_level: 'Q4_K_M',
    }),
    ...spec.details,
  };
  return {
    name,
    model: name,
    modified_at: rfc3339Nano(spec.modifiedAt ?? now),
    size: spec.size ?? base?.size ?? 4_000_000_000,
    digest,
    details,
  };
}

/** The /api/ps entry of a pulled model loaded for `keepAliveMs`. */
export function psEntry(
  model: TagsModel,
  options: { now?: Date; keepAliveMs?: number; contextLength?: number } = {},
): PsModel {
  const now = options.now ?? new Date();
  // A loaded model takes its weights plus KV cache and runtime in (V)RAM.
  const size = Math.round(model.size * 1.25 + 500_000_000);
  return {
    name: model.name,
    model: model.model,
    size,
    digest: model.digest,
    details: model.details,
    expires_at: rfc3339Nano(
      new Date(now.getTime() + (options.keepAliveMs ?? 5 * 60_000)),
    ),
    size_vram: size,
    context_length: options.contextLength ?? 4096,
  };
}
