/*
 * The fresh-app proof (README "Add Workload Catalog to your Backstage"): a brand-new
 * Backstage app with our packages installed from tarballs, in Debian's Chromium. Its own
 * project, apart from the main suite (e2e/playwright.config.ts), whose browser settings it
 * takes: `yarn workspace @workload-catalog/e2e playwright test -c fresh-app/playwright.config.ts`.
 */
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.ts';

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './globalSetup.ts',
  outputDir: '../../test-results/fresh-app/output',
  // the first visit of a brand-new app's production build loads every plugin's chunks
  timeout: 180_000,
});
