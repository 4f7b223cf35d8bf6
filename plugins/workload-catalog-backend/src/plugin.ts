import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createRouter } from './service/router';

/** The workload-catalog backend plugin (new backend system). */
export const workloadCatalogPlugin = createBackendPlugin({
  pluginId: 'workload-catalog',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, httpRouter }) {
        httpRouter.use(await createRouter({ config, logger }));
      },
    });
  },
});
