import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, startFromOptions } from './cli';

describe('github-local command line', () => {
  it('has defaults for a local catalog repository', () => {
    expect(parseArgs([])).toMatchObject({
      port: 7008,
      host: '127.0.0.1',
      repos: [{ owner: 'local', repo: 'catalog' }],
      tokens: [],
      seedPrefix: '',
    });
    expect(parseArgs(['--help'])).toBe('help');
  });

  it.each([
    [['--port', 'x'], /--port must be a whole number from 0 to 65535; got "x"/],
    [['--repo', 'catalog'], /--repo must be OWNER\/NAME; got "catalog"/],
    [
      ['--seed-prefix', '../up'],
      /--seed-prefix must be a folder inside the repository/,
    ],
    [['--port'], /--port needs a value/],
    [['--nope', '1'], /unknown option --nope/],
  ])('explains a wrong argument (%j)', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('seeds new repositories from a folder, under a prefix', async () => {
    const seed = mkdtempSync(path.join(os.tmpdir(), 'seed-'));
    mkdirSync(path.join(seed, 'shop', 'dev'), { recursive: true });
    writeFileSync(
      path.join(seed, 'shop', 'dev', 'orders.yaml'),
      'serviceName: orders\n',
    );
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'data-'));
    const opts = parseArgs([
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--seed',
      seed,
      '--seed-prefix',
      'catalog/',
      '--quiet',
    ]);
    if (opts === 'help') throw new Error('unexpected');
    const server = await startFromOptions(opts);
    try {
      const files = await server.repo('local', 'catalog').git.listFiles('main');
      expect(files.map(f => f.path)).toEqual(['catalog/shop/dev/orders.yaml']);
    } finally {
      await server.stop();
      rmSync(seed, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
