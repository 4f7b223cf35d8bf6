/*
 * Whether each declared model is on the workload's Ollama server (/api/tags) and in memory
 * (/api/ps), through the service URL.
 */
import {
  ollamaPullName,
  type ModelStatus,
} from '@workload-catalog/plugin-workload-catalog-common';
import { describeFetchError, SourceError } from './argocd';

type Json = any;

async function getJson(url: string, timeoutMs: number): Promise<Json> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new SourceError(describeFetchError(url, error, timeoutMs));
  }
  const text = await res.text().catch(() => '');
  if (!res.ok)
    throw new SourceError(
      `${url} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    );
  try {
    const body = JSON.parse(text);
    if (!Array.isArray(body?.models)) throw new Error('no "models" list');
    return body;
  } catch {
    throw new SourceError(`${url} did not answer Ollama's model list`);
  }
}

/** Go's RFC 3339 times (nanoseconds, offsets) as ISO 8601; undefined when not a time. */
function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export interface OllamaModels {
  models: ModelStatus[];
  /** Set when /api/ps failed (the models are listed, whether they are loaded is not known). */
  psProblem?: string;
}

/** Reads /api/tags and /api/ps and matches them with the declared models. */
export async function readOllamaModels(
  baseUrl: string,
  declared: string[],
  timeoutMs: number,
): Promise<OllamaModels> {
  const [tags, ps] = await Promise.allSettled([
    getJson(`${baseUrl}/api/tags`, timeoutMs),
    getJson(`${baseUrl}/api/ps`, timeoutMs),
  ]);
  if (tags.status === 'rejected') throw tags.reason;
  const byName = (list: Json[]) => {
    const map = new Map<string, Json>();
    for (const m of list) {
      const name = typeof m?.model === 'string' ? m.model : m?.name;
      if (typeof name === 'string') map.set(ollamaPullName(name), m);
    }
    return map;
  };
  const pulled = byName(tags.value.models);
  const loaded =
    ps.status === 'fulfilled' ? byName(ps.value.models) : new Map();
  const models = declared.map(ref => {
    const key = ollamaPullName(ref);
    const tag = pulled.get(key);
    const running = loaded.get(key);
    return {
      ref,
      pulled: !!tag,
      loaded: !!running,
      ...(typeof tag?.digest === 'string'
        ? { digest: tag.digest.replace(/^sha256:/i, '').toLowerCase() }
        : {}),
      ...(typeof tag?.size === 'number' ? { sizeBytes: tag.size } : {}),
      ...(isoTime(tag?.modified_at)
        ? { pulledAt: isoTime(tag.modified_at) }
        : {}),
      ...(isoTime(running?.expires_at)
        ? { expiresAt: isoTime(running.expires_at) }
        : {}),
    } satisfies ModelStatus;
  });
  return {
    models,
    ...(ps.status === 'rejected'
      ? { psProblem: (ps.reason as Error).message }
      : {}),
  };
}
