/*
 * Creates the brand-new app, installs our packages into it by the README, builds and starts
 * it (freshApp.ts); the tests get the URLs through the environment.
 */
import { setUpFreshApp } from './freshApp.ts';

export default async function globalSetup() {
  const app = await setUpFreshApp();
  process.env.FRESH_APP_URL = app.appUrl;
  process.env.FRESH_APP_GITHUB_URL = app.githubUrl;
  process.env.FRESH_APP_CATALOG_GIT_DIR = app.catalogGitDir;
  process.env.FRESH_APP_DIR = app.appDir;
  return async () => {
    if (process.env.E2E_PRINT_LOGS) process.stderr.write(app.logs());
    await app.stop();
  };
}
