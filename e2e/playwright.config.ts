import { defineConfig } from '@playwright/test';
import { execSync } from 'node:child_process';

/** Debian's Chromium (scripts/toolchain.sh ensure_chromium); Playwright cannot download browsers here. */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execSync('command -v chromium || command -v chromium-browser', {
      shell: '/bin/sh',
    })
      .toString()
      .trim();
  } catch {
    throw new Error(
      'Chromium is not installed: run `source scripts/toolchain.sh && ensure_chromium`',
    );
  }
}

export default defineConfig({
  testDir: './tests',
  globalSetup: './src/globalSetup.ts',
  // One stack, one browser at a time: the machine has 2 cores and the backend shares them.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: '../test-results/e2e',
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 1000 },
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
