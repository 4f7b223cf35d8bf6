import type { Config } from '@backstage/config';
import type { TemplateSelection } from './WorkloadTemplateProvider';

const KEY = 'catalog.providers.workloadCatalog.templates';

/** catalog.providers.workloadCatalog.templates: `false`, or `{ enabled, exclude }`. Default: every template. */
export function readTemplateSelection(config: Config): TemplateSelection {
  if (!config.has(KEY)) return { enabled: true, exclude: [] };
  const value = config.getOptional(KEY);
  if (typeof value === 'boolean') return { enabled: value, exclude: [] };
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(
      `${KEY} must be false (offer no templates) or { enabled, exclude: [template names] }; got ${JSON.stringify(value)}`,
    );
  }
  const own = config.getConfig(KEY);
  return {
    enabled: own.getOptionalBoolean('enabled') ?? true,
    exclude: own.getOptionalStringArray('exclude') ?? [],
  };
}
