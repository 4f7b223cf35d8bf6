/*
 * What the route of a workload exposes (ingress.paths): the endpoints of each inference
 * server a route may carry by default, and how a path of a leaf becomes a route match.
 *
 * A path ending in "/" is a prefix ("/v1/" matches /v1 and everything below it, "/" matches
 * everything); any other path matches exactly. The same rule is generated into the charts
 * (`workload-lib.generated.endpoints`), which render the matches of the HTTPRoute or Ingress.
 */
import type { WorkloadType } from './workloadTypes';

/** The endpoints an inference server's route exposes unless the leaf narrows them. */
export interface ServerEndpoints {
  /** The server, as messages name it. */
  server: string;
  /** Inference and read-only endpoints: the route's default; a leaf may pick a subset. */
  public: readonly string[];
  /**
   * Endpoints that change or reveal the server (model management, metrics): never on the
   * route unless the platform policy lists them under ingress.extraPaths for the catalog.
   * Documentation only: the policy may allow any path.
   */
  management: readonly string[];
}

/**
 * Per inference type. Taken from the servers' own routers: Ollama's server/routes.go
 * (ollama/ollama) and TGI's router/src/server.rs (huggingface/text-generation-inference).
 * Types that are not listed (the generic containers) run their own app: any path.
 */
export const SERVER_ENDPOINTS: Readonly<
  Partial<Record<WorkloadType, ServerEndpoints>>
> = {
  OLLAMA_INFERENCE_LOAD: {
    server: 'Ollama',
    public: [
      '/api/generate',
      '/api/chat',
      '/api/embed',
      '/api/embeddings',
      '/api/tags',
      '/api/show',
      '/api/version',
      // OpenAI- and Anthropic-compatible: chat/completions, completions, embeddings,
      // models, responses, messages, audio/transcriptions
      '/v1/',
    ],
    management: [
      '/api/pull',
      '/api/push',
      '/api/create',
      '/api/delete',
      '/api/copy',
      '/api/blobs/',
      '/api/ps',
      '/',
    ],
  },
  ML_INFERENCE_LOAD: {
    server: 'Text Generation Inference',
    public: [
      '/generate',
      '/generate_stream',
      '/v1/chat/completions',
      '/v1/completions',
      '/v1/models',
      '/tokenize',
      '/chat_tokenize',
      '/info',
      '/health',
    ],
    management: ['/metrics', '/docs', '/api-doc/openapi.json', '/'],
  },
};

/** How a path of ingress.paths is matched: "/v1/" is the prefix /v1, "/api/chat" exact. */
export function routeMatch(path: string): {
  type: 'Exact' | 'PathPrefix';
  value: string;
} {
  if (!path.endsWith('/')) return { type: 'Exact', value: path };
  return { type: 'PathPrefix', value: path === '/' ? '/' : path.slice(0, -1) };
}

/** Whether `allowed` (an entry of an allowed list) covers `path`: equal, or below a prefix. */
export function pathCovers(allowed: string, path: string): boolean {
  return (
    allowed === path || (allowed.endsWith('/') && path.startsWith(allowed))
  );
}
