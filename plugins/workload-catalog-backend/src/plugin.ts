import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  createDefaultGithubClientFactory,
  PlatformPolicyReader,
  readWorkloadCatalogConfig,
} from '@workload-catalog/plugin-workload-catalog-node';
import { WorkloadConfigurationService } from './configuration/WorkloadConfigurationService';
import { workloadCatalogBackendPermissions } from './permissions/permissions';
import { createRouter } from './service/router';
import { readStatusConfig } from './status/config';
import { WorkloadStatusService } from './status/WorkloadStatusService';
import { createWorkloadsRouter } from './workloads/router';

/** The workload-catalog backend plugin (new backend system). */
export const workloadCatalogPlugin = createBackendPlugin({
  pluginId: 'workload-catalog',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
      }) {
        const settings = config.has('workloadCatalog.catalogRepo')
          ? readWorkloadCatalogConfig(config)
          : undefined;
        const integrations = ScmIntegrations.fromConfig(config);
        // The platform policy: the catalog repo's .workload-catalog/policy.yaml narrowed by
        // config, the same the scaffolder actions and the CLI apply.
        const policyReader =
          settings &&
          new PlatformPolicyReader({
            githubClientFactory: createDefaultGithubClientFactory({
              integrations,
              timeoutMs: settings.github.timeoutMs,
              maxRetries: settings.github.maxRetries,
            }),
            catalogRepo: settings.catalogRepo,
            configPolicy: settings.policy,
            logger,
          });
        httpRouter.use(
          await createRouter({
            config,
            logger,
            policy: policyReader && (() => policyReader.get()),
          }),
        );

        // Workload status and configuration (entity card and Configure tab).
        permissionsRegistry.addPermissions(workloadCatalogBackendPermissions);
        const statusConfig = readStatusConfig(config);
        const status = new WorkloadStatusService({
          config: statusConfig,
          catalogRepo: settings && {
            host: settings.catalogRepo.host,
            owner: settings.catalogRepo.owner,
            repo: settings.catalogRepo.repo,
            webUrl: settings.catalogRepo.url
              // eslint-disable-next-line redos/no-vulnerable -- app-config value, set by the operator (not user input)
              .replace(/\/+$/, '')
              .replace(/\.git$/, ''),
            baseBranch: settings.catalogRepo.baseBranch,
          },
          // Status reads must be quick: one try, within the status timeout.
          githubClientFactory: settings
            ? createDefaultGithubClientFactory({
                integrations,
                timeoutMs: statusConfig.timeoutMs,
                maxRetries: 0,
              })
            : undefined,
          logger,
        });
        const configuration = settings
          ? new WorkloadConfigurationService({
              settings,
              policy: policyReader && (() => policyReader.get()),
              githubClientFactory: createDefaultGithubClientFactory({
                integrations,
                timeoutMs: settings.github.timeoutMs,
                maxRetries: settings.github.maxRetries,
              }),
              permissions,
              logger,
            })
          : undefined;
        httpRouter.use(
          createWorkloadsRouter({
            httpAuth,
            permissions,
            catalog,
            status,
            configuration,
          }),
        );
        if (!settings) {
          logger.warn(
            'workloadCatalog.catalogRepo is not configured: the workload status has no pull requests and the Configure tab cannot save',
          );
        }
      },
    });
  },
});
