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

export default createApp({
  features: [catalogPlugin, scaffolderPlugin, workloadCatalogPlugin, appModule],
});
