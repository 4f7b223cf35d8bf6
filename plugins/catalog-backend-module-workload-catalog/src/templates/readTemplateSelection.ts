import type { Config } from '@backstage/config';
import type { TemplateSelection } from './WorkloadTemplateProvider';

const KEY = 'catalog.providers.workloadCatalog.templates';

/** catalog.providers.workloadCatalog.templates: `false`, or `{ enabled, exclude }`. Default: every template. */
export function readTemplateSelection(config: Config): TemplateSelection {
  const own = config.getOptionalConfig('catalog.providers.workloadCatalog');
  const common = {
    workloadTypes: own?.getOptionalBoolean('workloadTypes') ?? true,
    owner: own?.getOptionalString('defaultOwner'),
    chartsUrl: own?.getOptionalString('chartsUrl'),
  };
  if (!config.has(KEY)) return { enabled: true, exclude: [], ...common };
  const value = config.getOptional(KEY);
  if (typeof value === 'boolean')
    return { enabled: value, exclude: [], ...common };
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(
      `${KEY} must be false (offer no templates) or { enabled, exclude: [template names] }; got ${JSON.stringify(value)}`,
    );
  }
  const templates = config.getConfig(KEY);
  return {
    enabled: templates.getOptionalBoolean('enabled') ?? true,
    exclude: templates.getOptionalStringArray('exclude') ?? [],
    ...common,
  };
}
