/*
 * Model suggestions for the form's picker: the platform's configured list, then the models an
 * Ollama server reports on /api/tags (with their sizes), each with what it needs to run. The
 * GPU-memory estimate needs each model's architecture: from the common package's table of
 * suggested models, else from the server's /api/show (model_info).
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  architectureFromModelInfo,
  formatOllamaRef,
  knownModelFacts,
  modelNeeds,
  parseOllamaRef,
  parseQuantity,
  type ModelSuggestion,
  type ModelSuggestionsResponse,
  type SuggestionSourceStatus,
} from '@workload-catalog/plugin-workload-catalog-common';
import { readGpuMemoryPerGpu } from './formOptions';

export interface SuggestionConfig {
  configured: ModelSuggestion[];
  ollama?: { baseUrl: string; timeoutMs: number; cacheTtlMs: number };
  gpuMemoryPerGpuBytes: number;
}

/** The canonical reference without a digest pin: how Ollama names a pulled model. */
function canonical(ref: string): string | undefined {
  const r = parseOllamaRef(ref);
  return r.ok ? formatOllamaRef(r.ref, { digest: false }) : undefined;
}

/**
 * The suggestion with its architecture and needs: the estimate takes the size, quantization
 * and architecture from the shipped table when the config or server left them out.
 */
function withNeeds(
  s: ModelSuggestion,
  gpuMemoryPerGpuBytes: number,
): ModelSuggestion {
  const known = knownModelFacts(s.ref);
  const sizeBytes = s.sizeBytes ?? known?.sizeBytes;
  const quantization = s.quantization ?? known?.quantization;
  const architecture = s.architecture ?? known?.architecture;
  // The size stays what the config or the server said (a server's size replaces none).
  const out: ModelSuggestion = {
    ...s,
    ...(architecture ? { architecture } : {}),
  };
  return sizeBytes === undefined
    ? out
    : {
        ...out,
        needs: modelNeeds(
          s.ref,
          { sizeBytes, quantization, architecture },
          gpuMemoryPerGpuBytes,
        ),
      };
}

/** Reads and checks the suggestion settings; a wrong entry stops the backend with its path. */
export function readSuggestionConfig(config: Config): SuggestionConfig {
  const gpuMemoryPerGpuBytes = readGpuMemoryPerGpu(config);
  const wc = config.getOptionalConfig('workloadCatalog');
  const configured: ModelSuggestion[] = [];
  const seen = new Set<string>();
  const entries = wc?.getOptional<unknown[]>('suggestedModels') ?? [];
  if (!Array.isArray(entries)) {
    throw new InputError('workloadCatalog.suggestedModels must be a list');
  }
  entries.forEach((entry, i) => {
    const where = `workloadCatalog.suggestedModels[${i}]`;
    const obj: Record<string, unknown> =
      typeof entry === 'string'
        ? { ref: entry }
        : (entry as Record<string, unknown>);
    if (
      obj === null ||
      typeof obj !== 'object' ||
      typeof obj.ref !== 'string'
    ) {
      throw new InputError(
        `${where} must be an Ollama reference or {ref, size, description}`,
      );
    }
    const parsed = parseOllamaRef(obj.ref);
    if (!parsed.ok) throw new InputError(`${where}.ref ${parsed.error}`);
    const ref = formatOllamaRef(parsed.ref);
    if (seen.has(ref))
      throw new InputError(`${where}: "${ref}" is listed twice`);
    seen.add(ref);
    let sizeBytes: number | undefined;
    if (obj.size !== undefined) {
      sizeBytes = parseQuantity(obj.size);
      if (sizeBytes === undefined) {
        throw new InputError(
          `${where}.size must be a size such as "2Gi" or a byte count; got ${JSON.stringify(obj.size)}`,
        );
      }
    }
    if (obj.description !== undefined && typeof obj.description !== 'string') {
      throw new InputError(`${where}.description must be a string`);
    }
    configured.push(
      withNeeds(
        {
          ref,
          source: 'config',
          ...(sizeBytes !== undefined ? { sizeBytes } : {}),
          ...(typeof obj.description === 'string'
            ? { description: obj.description }
            : {}),
        },
        gpuMemoryPerGpuBytes,
      ),
    );
  });
  const ollama = wc?.getOptionalConfig('ollama');
  const baseUrl = ollama?.getOptionalString('baseUrl');
  let ollamaConfig: SuggestionConfig['ollama'];
  if (baseUrl) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new InputError(
        `workloadCatalog.ollama.baseUrl must be an http(s) URL; got "${baseUrl}"`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InputError(
        `workloadCatalog.ollama.baseUrl must be an http(s) URL; got "${baseUrl}"`,
      );
    }
    ollamaConfig = {
      // eslint-disable-next-line redos/no-vulnerable -- app-config value, set by the operator (not user input)
      baseUrl: baseUrl.replace(/\/+$/, ''),
      timeoutMs: ollama?.getOptionalNumber('timeoutMs') ?? 3000,
      cacheTtlMs: ollama?.getOptionalNumber('cacheTtlMs') ?? 30000,
    };
  }
  return { configured, ollama: ollamaConfig, gpuMemoryPerGpuBytes };
}

interface OllamaModels {
  models: ModelSuggestion[];
  at: number;
}

/** Parses Ollama's /api/tags answer; entries that are not models are skipped. */
function parseTags(
  body: unknown,
  gpuMemoryPerGpuBytes: number,
): ModelSuggestion[] {
  const models = (body as { models?: unknown })?.models;
  if (!Array.isArray(models)) {
    throw new Error('the answer of /api/tags has no "models" list');
  }
  const out: ModelSuggestion[] = [];
  for (const m of models) {
    const name = typeof m?.model === 'string' ? m.model : m?.name;
    if (typeof name !== 'string') continue;
    const ref = canonical(name);
    if (!ref) continue;
    const details = m.details ?? {};
    out.push(
      withNeeds(
        {
          ref,
          source: 'ollama',
          ...(typeof m.size === 'number' && m.size >= 0
            ? { sizeBytes: m.size }
            : {}),
          ...(typeof details.parameter_size === 'string'
            ? { parameterSize: details.parameter_size }
            : {}),
          ...(typeof details.quantization_level === 'string'
            ? { quantization: details.quantization_level }
            : {}),
          ...(typeof details.family === 'string'
            ? { family: details.family }
            : {}),
        },
        gpuMemoryPerGpuBytes,
      ),
    );
  }
  return out;
}

/** Lists suggestions; Ollama answers are cached briefly and one request is in flight at a time. */
export class ModelSuggestionService {
  private cached?: OllamaModels;
  private inFlight?: Promise<OllamaModels>;

  constructor(
    private readonly settings: SuggestionConfig,
    private readonly logger?: LoggerService,
    private readonly now: () => number = Date.now,
  ) {}

  static fromConfig(config: Config, logger?: LoggerService) {
    return new ModelSuggestionService(readSuggestionConfig(config), logger);
  }

  private async fetchOllama(): Promise<OllamaModels> {
    const { baseUrl, timeoutMs } = this.settings.ollama!;
    const res = await fetch(`${baseUrl}/api/tags`, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) {
      throw new Error(
        `${baseUrl}/api/tags answered ${res.status} ${res.statusText}`.trim(),
      );
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new Error(`${baseUrl}/api/tags did not answer JSON`);
    }
    const models = await Promise.all(
      parseTags(body, this.settings.gpuMemoryPerGpuBytes).map(async m =>
        m.architecture || m.sizeBytes === undefined
          ? m
          : this.withShownArchitecture(m),
      ),
    );
    return { models, at: this.now() };
  }

  /**
   * Asks the server's /api/show for a model's architecture (model_info); the model keeps
   * an assumed KV cache when the server cannot say (an old server, a failed request).
   */
  private async withShownArchitecture(
    m: ModelSuggestion,
  ): Promise<ModelSuggestion> {
    const { baseUrl, timeoutMs } = this.settings.ollama!;
    try {
      const res = await fetch(`${baseUrl}/api/show`, {
        method: 'POST',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ model: m.ref }),
      });
      if (!res.ok) return m;
      const shown = (await res.json()) as { model_info?: unknown };
      const architecture = architectureFromModelInfo(shown?.model_info);
      if (!architecture) return m;
      const { needs: _old, ...rest } = m;
      return withNeeds(
        { ...rest, architecture },
        this.settings.gpuMemoryPerGpuBytes,
      );
    } catch (e) {
      this.logger?.debug(
        `Ollama /api/show for ${m.ref} failed: ${(e as Error).message}`,
      );
      return m;
    }
  }

  private async ollamaModels(): Promise<{
    models: ModelSuggestion[];
    status: SuggestionSourceStatus;
  }> {
    const ollama = this.settings.ollama;
    if (!ollama) {
      return {
        models: [],
        status: {
          status: 'unconfigured',
          message: 'workloadCatalog.ollama.baseUrl is not set',
        },
      };
    }
    if (this.cached && this.now() - this.cached.at < ollama.cacheTtlMs) {
      return { models: this.cached.models, status: { status: 'ok' } };
    }
    if (!this.inFlight) {
      this.inFlight = this.fetchOllama().finally(() => {
        this.inFlight = undefined;
      });
    }
    try {
      this.cached = await this.inFlight;
      return { models: this.cached.models, status: { status: 'ok' } };
    } catch (e) {
      const err = e as Error;
      const message =
        err.name === 'TimeoutError'
          ? `${ollama.baseUrl} did not answer within ${ollama.timeoutMs} ms`
          : `${ollama.baseUrl} is not reachable: ${err.message}${(err as any).cause?.code ? ` (${(err as any).cause.code})` : ''}`;
      this.logger?.warn(`Ollama model list unavailable: ${message}`);
      return { models: [], status: { status: 'unavailable', message } };
    }
  }

  async list(): Promise<ModelSuggestionsResponse> {
    const ollama = await this.ollamaModels();
    const byRef = new Map<string, ModelSuggestion>();
    for (const s of this.settings.configured)
      byRef.set(canonical(s.ref) ?? s.ref, s);
    const extra: ModelSuggestion[] = [];
    for (const m of ollama.models) {
      const known = byRef.get(m.ref);
      if (known) {
        // The server knows the real size of a configured model: fill in what the config left out.
        if (known.sizeBytes === undefined && m.sizeBytes !== undefined) {
          byRef.set(
            m.ref,
            withNeeds(
              { ...m, ...known, sizeBytes: m.sizeBytes },
              this.settings.gpuMemoryPerGpuBytes,
            ),
          );
        }
      } else if (!extra.some(e => e.ref === m.ref)) {
        extra.push(m);
      }
    }
    return {
      models: [...byRef.values(), ...extra],
      sources: {
        config: {
          status: this.settings.configured.length > 0 ? 'ok' : 'unconfigured',
        },
        ollama: ollama.status,
      },
    };
  }
}
