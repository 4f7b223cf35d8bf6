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
// A backend that cannot start exits, so that its supervisor starts it again, instead of
// staying up and never ready. (For example a second replica that loses the race for the
// database migrations on a fresh PostgreSQL: src/postgresReplicas.test.ts.)
backend.start().catch(error => {
  process.stderr.write(
    `The backend could not start: ${error?.stack ?? error}\n`,
  );
  process.exit(1);
});
