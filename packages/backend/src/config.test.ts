/*
 * app-config.yaml and the production example match the config schemas of every plugin in
 * the backend (our config.d.ts files included), as `backstage-cli config:check --strict`
 * sees them.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../..');
const cli = require.resolve('@backstage/cli/bin/backstage-cli');

async function check(...args: string[]) {
  return promisify(execFile)(
    process.execPath,
    [cli, 'config:check', '--package', 'backend', '--strict', ...args],
    {
      cwd: ROOT,
    },
  );
}

describe('app-config', () => {
  jest.setTimeout(60_000);

  it('app-config.yaml matches the schemas', async () => {
    await expect(check('--config', 'app-config.yaml')).resolves.toBeDefined();
  });

  it('app-config.production.yaml on top matches the schemas', async () => {
    await expect(
      check(
        '--lax',
        '--config',
        'app-config.yaml',
        '--config',
        'app-config.production.yaml',
      ),
    ).resolves.toBeDefined();
  });

  it('rejects a workloadCatalog key of the wrong type', async () => {
    const bad = path.join(
      __dirname,
      '__fixtures__',
      'bad-workload-catalog.yaml',
    );
    await expect(
      check('--config', 'app-config.yaml', '--config', bad),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('/workloadCatalog/maxGpuCount'),
    });
  });
});
