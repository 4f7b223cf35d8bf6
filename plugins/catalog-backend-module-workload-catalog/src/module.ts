/*
 * Wires the entity provider into the catalog: settings, GitHub credentials (the
 * integrations.github entry of the catalog repo's host, as the scaffolder actions use), and
 * the schedule.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { createDefaultGithubClientFactory } from '@workload-catalog/plugin-workload-catalog-node';
import { readProviderConfig } from './config';
import { readTemplateSelection } from './templates/readTemplateSelection';
import { WorkloadTemplateProvider } from './templates/WorkloadTemplateProvider';
import { WorkloadCatalogEntityProvider } from './WorkloadCatalogEntityProvider';

/** The catalog module of Workload Catalog: one Component per catalog leaf, and the shipped scaffolder templates. */
export const catalogModuleWorkloadCatalog = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'workload-catalog',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, logger, scheduler }) {
        // The templates that ship with Workload Catalog (each can be turned off).
        catalog.addEntityProvider(
          new WorkloadTemplateProvider({
            selection: readTemplateSelection(config),
            logger,
          }),
        );
        const settings = readProviderConfig(config);
        const provider = new WorkloadCatalogEntityProvider({
          repo: settings.repo,
          entity: settings.entity,
          includeProposed: settings.includeProposed,
          systems: settings.systems,
          githubClientFactory: createDefaultGithubClientFactory({
            integrations: ScmIntegrations.fromConfig(config),
            timeoutMs: settings.github.timeoutMs,
            maxRetries: settings.github.maxRetries,
          }),
          logger,
          taskRunner: scheduler.createScheduledTaskRunner(settings.schedule),
        });
        catalog.addEntityProvider(provider);
        logger.info(
          `Workload catalog entity provider reads ${settings.repo.webUrl} (${settings.repo.baseBranch}, leaves at ${settings.repo.leafPathPattern})`,
        );
      },
    });
  },
});
