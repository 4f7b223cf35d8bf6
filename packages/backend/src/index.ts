/*
 * The Workload Catalog backend (Backstage's new backend system). `yarn start` runs it with
 * app-config.yaml: in-memory SQLite, guest sign-in, and the local GitHub as catalog repo.
 */
import { createBackend } from '@backstage/backend-defaults';
import { backendFeatures } from './features';

const backend = createBackend();
for (const feature of backendFeatures) {
  backend.add(feature);
}
backend.start();
