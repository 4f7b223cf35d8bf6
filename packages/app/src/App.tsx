/*
 * The Workload Catalog app (Backstage's new frontend system): the catalog, the scaffolder
 * with the workload form fields, and guest sign-in for local use.
 */
import { SignInPage } from '@backstage/core-components';
import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { isArgocdAvailable } from '@roadiehq/backstage-plugin-argo-cd';
import roadieArgoCdPlugin from '@roadiehq/backstage-plugin-argo-cd/alpha';
import workloadCatalogPlugin from '@workload-catalog/plugin-workload-catalog/alpha';

/** Guest sign-in (the backend's guest provider); production apps swap in GitHub or OIDC. */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => (
      <SignInPage {...props} providers={['guest']} />
    ),
  },
});

export const appModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});

/**
 * Roadie's Argo CD plugin (its new-frontend-system build): the overview card on every
 * entity with an Argo CD annotation (a workload's argocd/app-selector), through the backend's
 * proxy at /argocd/api (app-config.yaml). Its history card and tab are left out: they ask
 * Argo CD for each revision's commit metadata, which the workload's status card already
 * shows from the pull request.
 */
const argoCdPlugin = roadieArgoCdPlugin.withOverrides({
  extensions: [
    roadieArgoCdPlugin
      .getExtension('entity-card:argocd/overviewCard')
      .override({
        params: {
          filter: (entity: Parameters<typeof isArgocdAvailable>[0]) =>
            Boolean(isArgocdAvailable(entity)),
        },
      }),
    roadieArgoCdPlugin
      .getExtension('entity-card:argocd/historyCard')
      .override({ disabled: true }),
    roadieArgoCdPlugin
      .getExtension('entity-content:argocd/ArgoCdPage')
      .override({ disabled: true }),
  ],
});

export default createApp({
  features: [
    catalogPlugin,
    scaffolderPlugin,
    workloadCatalogPlugin,
    argoCdPlugin,
    appModule,
  ],
});
