/*
 * Which model and revision a Text Generation Inference workload serves (/info) and whether
 * it answers (/health), through the service URL.
 */
import type { ModelStatus } from '@workload-catalog/plugin-workload-catalog-common';
import { describeFetchError, SourceError } from './argocd';

async function call(url: string, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new SourceError(describeFetchError(url, error, timeoutMs));
  }
}

/** A revision the leaf can pin and /info can be compared with: a commit (hex), not a branch. */
const COMMIT_RE = /^[0-9a-f]{7,40}$/;

/**
 * Reads /info and /health and compares them with the declared model (`id[@revision]`, as
 * declaredModels writes it). Throws a SourceError when /info cannot be read.
 */
export async function readTgiModel(
  baseUrl: string,
  declared: string,
  timeoutMs: number,
): Promise<ModelStatus> {
  const at = declared.lastIndexOf('@');
  const id = at > 0 ? declared.slice(0, at) : declared;
  const revision = at > 0 ? declared.slice(at + 1).toLowerCase() : undefined;
  const [infoRes, healthRes] = await Promise.all([
    call(`${baseUrl}/info`, timeoutMs),
    call(`${baseUrl}/health`, timeoutMs).catch(() => undefined),
  ]);
  const text = await infoRes.text().catch(() => '');
  if (!infoRes.ok)
    throw new SourceError(
      `${baseUrl}/info answered ${infoRes.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    );
  let info: { model_id?: unknown; model_sha?: unknown };
  try {
    info = JSON.parse(text);
  } catch {
    throw new SourceError(`${baseUrl}/info did not answer TGI's Info`);
  }
  if (typeof info?.model_id !== 'string')
    throw new SourceError(`${baseUrl}/info did not answer TGI's Info`);
  const sha =
    typeof info.model_sha === 'string'
      ? info.model_sha.toLowerCase()
      : undefined;
  const pin = revision && COMMIT_RE.test(revision) ? revision : undefined;
  const sameModel = info.model_id === id;
  return {
    ref: declared,
    pulled: sameModel && (!pin || !sha || sha.startsWith(pin)),
    loaded: sameModel && healthRes?.status === 200,
    ...(sameModel ? {} : { servedModel: info.model_id }),
    ...(sha ? { digest: sha } : {}),
    ...(pin ? { pinnedDigest: pin } : {}),
  };
}
