/*
 * Wires the actions into the scaffolder: configuration, GitHub credentials, permissions.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createDefaultGithubClientFactory,
  PlatformPolicyReader,
  readWorkloadCatalogConfig,
  workloadCatalogPermissions,
  workloadLeafPermissionRules,
  workloadLeafResourceRef,
} from '@workload-catalog/plugin-workload-catalog-node';
import { createCatalogPullRequestAction } from './actions/catalogPullRequest';
import { createValidateLeafAction } from './actions/validateLeaf';

/** The scaffolder module of Workload Catalog: workload:leaf:validate and workload:catalog:pull-request. */
export const scaffolderModuleWorkloadCatalog = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'workload-catalog',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        scaffolder,
        config,
        logger,
        permissions,
        permissionsRegistry,
      }) {
        const settings = readWorkloadCatalogConfig(config);
        permissionsRegistry.addResourceType({
          resourceRef: workloadLeafResourceRef,
          permissions: workloadCatalogPermissions,
          rules: Object.values(workloadLeafPermissionRules),
        });
        const githubClientFactory = createDefaultGithubClientFactory({
          integrations: ScmIntegrations.fromConfig(config),
          timeoutMs: settings.github.timeoutMs,
          maxRetries: settings.github.maxRetries,
        });
        // The catalog repo's .workload-catalog/policy.yaml, narrowed by config: read per
        // request (cached briefly), so a change to the policy applies without a restart.
        const policyReader = new PlatformPolicyReader({
          githubClientFactory,
          catalogRepo: settings.catalogRepo,
          configPolicy: settings.policy,
          logger,
        });
        const policy = () => policyReader.get();
        scaffolder.addActions(
          createValidateLeafAction({
            policy,
            leafPathPattern: settings.catalogRepo.leafPathPattern,
            permissions,
          }),
          createCatalogPullRequestAction({
            githubClientFactory,
            catalogRepo: settings.catalogRepo,
            policy,
            pullRequestDefaults: settings.pullRequest,
            appBaseUrl: settings.appBaseUrl,
            permissions,
          }),
        );
        logger.info(
          `Workload Catalog actions ready: pull requests go to ${settings.catalogRepo.url} (base ${settings.catalogRepo.baseBranch}, leaves at ${settings.catalogRepo.leafPathPattern})`,
        );
      },
    });
  },
});
