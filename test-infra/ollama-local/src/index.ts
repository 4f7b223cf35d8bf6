/**
 * ollama-local: a small Ollama API server on 127.0.0.1 (/api/version, /api/tags, /api/ps,
 * /api/show)
 * with the models scripted by tests, fault injection and call counting.
 *
 * @packageDocumentation
 */
export {
  LocalOllama,
  type LocalOllamaOptions,
  type OllamaRoute,
  type OllamaFaultSpec,
  type OllamaFaultKind,
  type OllamaCallRecord,
} from './server';
export {
  KNOWN_MODELS,
  MODEL_INFO,
  ollamaName,
  showEntry,
  tagsEntry,
  psEntry,
  type ModelSpec,
  type ModelDetails,
  type TagsModel,
  type PsModel,
  type ShowResponse,
} from './models';
export { main, parseArgs } from './cli';
