/**
 * Workload Catalog backend plugin: what the form needs from the platform (model suggestions,
 * policy). Mounted at /api/workload-catalog.
 *
 * @packageDocumentation
 */
export { workloadCatalogPlugin as default } from './plugin';
export { createRouter, type RouterOptions } from './service/router';
export {
  ModelSuggestionService,
  readSuggestionConfig,
  type SuggestionConfig,
} from './service/modelSuggestions';
export { readFormOptions } from './service/formOptions';
