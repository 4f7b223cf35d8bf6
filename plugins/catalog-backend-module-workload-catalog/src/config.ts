/*
 * The provider's settings: the catalog repo from workloadCatalog.catalogRepo (shared with
 * the scaffolder actions), the rest from catalog.providers.workloadCatalog. Checked at
 * start, so a mistake stops the backend with the key's name.
 */
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readWorkloadCatalogConfig } from '@workload-catalog/plugin-workload-catalog-node';
import type { CatalogRepoInfo, EntityOptions } from './leafEntity';

export interface ProviderConfig {
  repo: CatalogRepoInfo & { host: string };
  entity: EntityOptions;
  includeProposed: boolean;
  systems: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  github: { timeoutMs: number; maxRetries: number };
}

/** The Application name of deploy/argocd/applicationset.yaml. */
export const DEFAULT_APP_NAME_TEMPLATE =
  '{serviceCatalog}.{environment}.{serviceName}';

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 60 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 1 },
};

const ENTITY_REF_RE =
  /^([a-z]+:)?([a-z0-9][-a-z0-9_.]*\/)?[A-Za-z0-9][-A-Za-z0-9_.]*$/;
const PLACEHOLDERS = [
  'serviceName',
  'serviceCatalog',
  'environment',
  'namespace',
];

export function readProviderConfig(config: Config): ProviderConfig {
  const wc = readWorkloadCatalogConfig(config);
  const own = config.getOptionalConfig('catalog.providers.workloadCatalog');
  const key = 'catalog.providers.workloadCatalog';
  const defaultOwner =
    own?.getOptionalString('defaultOwner') ?? 'group:default/platform-team';
  if (!ENTITY_REF_RE.test(defaultOwner)) {
    throw new Error(
      `${key}.defaultOwner must be an entity reference such as "group:default/platform-team"; got "${defaultOwner}"`,
    );
  }
  const lifecycles: Record<string, string> = {};
  const lc = own?.getOptionalConfig('lifecycles');
  for (const env of lc?.keys() ?? []) lifecycles[env] = lc!.getString(env);
  // The Argo CD plugins take one of argocd/app-selector (the default: the labels the
  // ApplicationSet puts on the Application) and argocd/app-name (argocd.appName: true or an
  // appNameTemplate; deploy/argocd/README.md: the ApplicationSet names each Application
  // this way). By labels, a workload whose Application is not generated yet is an empty
  // list, not Argo CD's 403 "permission denied" for a name it does not know.
  const appNameTemplate =
    own?.getOptionalBoolean('argocd.appName') === true ||
    (own?.has('argocd.appNameTemplate') &&
      own?.getOptionalBoolean('argocd.appName') !== false)
      ? (own?.getOptionalString('argocd.appNameTemplate') ??
        DEFAULT_APP_NAME_TEMPLATE)
      : undefined;
  for (const m of appNameTemplate?.matchAll(/\{([^{}]*)\}/g) ?? []) {
    if (!PLACEHOLDERS.includes(m[1])) {
      throw new Error(
        `${key}.argocd.appNameTemplate: unknown placeholder {${m[1]}}; allowed: ${PLACEHOLDERS.map(p => `{${p}}`).join(', ')}`,
      );
    }
  }
  const schedule = own?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        own.getConfig('schedule'),
      )
    : DEFAULT_SCHEDULE;
  return {
    repo: {
      host: wc.catalogRepo.host,
      owner: wc.catalogRepo.owner,
      repo: wc.catalogRepo.repo,
      // eslint-disable-next-line redos/no-vulnerable -- app-config value, set by the operator (not user input)
      webUrl: wc.catalogRepo.url.replace(/\/+$/, '').replace(/\.git$/, ''),
      baseBranch: wc.catalogRepo.baseBranch,
      leafPathPattern: wc.catalogRepo.leafPathPattern,
      branchPrefix: wc.catalogRepo.branchPrefix,
    },
    entity: {
      defaultOwner,
      lifecycles,
      argocd: {
        appNameTemplate,
        appNamespace: own?.getOptionalString('argocd.appNamespace'),
        instanceName: own?.getOptionalString('argocd.instanceName'),
      },
    },
    includeProposed: own?.getOptionalBoolean('includeProposed') ?? true,
    systems: own?.getOptionalBoolean('systems') ?? true,
    schedule,
    github: wc.github,
  };
}
