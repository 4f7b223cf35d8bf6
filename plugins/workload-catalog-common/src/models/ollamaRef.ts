/**
 * Ollama model references: `[host/][namespace/]name[:tag]`, as Ollama itself parses them
 * (ollama/types/model/name.go), plus an optional `@sha256:<hex>` suffix that Workload
 * Catalog uses to pin a mutable tag (see the chart: the pulled model's digest is compared
 * with it, because Ollama cannot pull by digest).
 */

const PART = '[A-Za-z0-9][A-Za-z0-9_.-]*';
const HOST = '[A-Za-z0-9][A-Za-z0-9_.-]*(:[0-9]+)?';
/** A registry host as a model reference names it (`host[:port]`). */
export const OLLAMA_REGISTRY_HOST_PATTERN = `^${HOST}$`;
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]*';
const DIGEST = 'sha256:[a-fA-F0-9]{12,64}';

/**
 * The reference's shape as a pattern (used in the JSON Schemas, so RE2-compatible). A host
 * (which may carry a port) only comes with a namespace: `host/namespace/name`.
 */
export const OLLAMA_REF_PATTERN = `^((${HOST})/(${PART})/|(${PART})/)?(${PART})(:(${TAG}))?(@${DIGEST})?$`;

export const OLLAMA_DEFAULT_HOST = 'registry.ollama.ai';
export const OLLAMA_DEFAULT_NAMESPACE = 'library';
export const OLLAMA_DEFAULT_TAG = 'latest';

const LIMITS = { host: 350, namespace: 80, name: 80, tag: 80 } as const;

export interface OllamaRef {
  host: string;
  namespace: string;
  name: string;
  tag: string;
  /** Lowercase hex digest prefix (12 to 64 characters), when pinned. */
  digest?: string;
}

export type OllamaRefResult =
  { ok: true; ref: OllamaRef } | { ok: false; error: string };

const REF_RE = new RegExp(OLLAMA_REF_PATTERN);

/** Parses and normalises an Ollama reference; the only place that knows its grammar. */
export function parseOllamaRef(input: string): OllamaRefResult {
  const text = input.trim();
  if (text === '') {
    return { ok: false, error: 'must not be empty; e.g. "llama3.2:3b"' };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return {
      ok: false,
      error: `must be an Ollama model reference [host/][namespace/]name[:tag], not a URL; e.g. "llama3.2:3b"`,
    };
  }
  if (!REF_RE.test(text)) {
    return {
      ok: false,
      error: `must be an Ollama model reference [host/][namespace/]name[:tag] (letters, digits, "_", "-", "."), e.g. "llama3.2:3b" or "hf.co/org/model:Q4_K_M"; got ${JSON.stringify(
        input,
      )}`,
    };
  }
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + '@sha256:'.length).toLowerCase();
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag = OLLAMA_DEFAULT_TAG;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const name = parts.pop()!;
  const namespace = parts.pop() ?? OLLAMA_DEFAULT_NAMESPACE;
  const host = parts.pop() ?? OLLAMA_DEFAULT_HOST;
  if (namespace.includes(':')) {
    return {
      ok: false,
      error: `a registry host needs a namespace: write host/namespace/name[:tag], e.g. "${namespace}/library/${name}:${tag}"`,
    };
  }
  const ref: OllamaRef = {
    host: host.toLowerCase(),
    namespace: namespace.toLowerCase(),
    name: name.toLowerCase(),
    tag: tag.toLowerCase(),
    ...(digest ? { digest } : {}),
  };
  for (const key of ['host', 'namespace', 'name', 'tag'] as const) {
    if (ref[key].length > LIMITS[key]) {
      return {
        ok: false,
        error: `model ${key} must be at most ${LIMITS[key]} characters`,
      };
    }
  }
  return { ok: true, ref };
}

/**
 * The canonical short form: default host and namespace left out, tag always present,
 * lowercase: `phi` and `registry.ollama.ai/library/Phi` both give `phi:latest`.
 */
export function formatOllamaRef(
  ref: OllamaRef,
  options: { digest?: boolean } = {},
): string {
  let s = '';
  if (ref.host !== OLLAMA_DEFAULT_HOST) s += `${ref.host}/${ref.namespace}/`;
  else if (ref.namespace !== OLLAMA_DEFAULT_NAMESPACE) s += `${ref.namespace}/`;
  s += `${ref.name}:${ref.tag}`;
  if (ref.digest && options.digest !== false) s += `@sha256:${ref.digest}`;
  return s;
}

/** Normalises a reference string, or returns it unchanged when it does not parse. */
export function normalizeOllamaRef(input: string): string {
  const r = parseOllamaRef(input);
  return r.ok ? formatOllamaRef(r.ref) : input;
}

/** The reference without its digest pin: what `ollama pull` and `/api/tags` use. */
export function ollamaPullName(input: string): string {
  const r = parseOllamaRef(input);
  return r.ok ? formatOllamaRef(r.ref, { digest: false }) : input;
}
