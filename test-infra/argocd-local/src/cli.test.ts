import { parseArgs, startFromOptions } from './cli';
import { application } from './applications';
import { stopSchemaWorker } from './schema';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('argocd-local command line', () => {
  afterAll(() => stopSchemaWorker());

  it('parses the options', () => {
    expect(parseArgs([])).toEqual({
      port: 7009,
      host: '127.0.0.1',
      tokens: [],
      noAuth: false,
      quiet: false,
    });
    expect(
      parseArgs([
        '--port',
        '0',
        '--token',
        'a',
        '--token',
        'b',
        '--quiet',
        '--applications',
        'apps.json',
      ]),
    ).toMatchObject({
      port: 0,
      tokens: ['a', 'b'],
      quiet: true,
      applicationsFile: 'apps.json',
    });
    expect(parseArgs(['--help'])).toBe('help');
    expect(
      parseArgs([
        '--simulate',
        'local/catalog',
        '--ollama',
        'http://127.0.0.1:11434/',
        '--sync-delay',
        '100',
        '--healthy-delay',
        '200',
        '--poll',
        '50',
        '--branch',
        'trunk',
        '--github-token',
        'x',
        '--github-api',
        'http://gh/api/v3',
      ]),
    ).toMatchObject({
      simulate: {
        owner: 'local',
        repo: 'catalog',
        githubApi: 'http://gh/api/v3',
        githubToken: 'x',
        branch: 'trunk',
        ollama: 'http://127.0.0.1:11434',
        syncDelayMs: 100,
        healthyDelayMs: 200,
        pollMs: 50,
      },
    });
  });

  it.each([
    [['--port', 'x'], '--port must be a whole number from 0 to 65535; got "x"'],
    [['--port'], '--port needs a value'],
    [['--what', '1'], 'unknown option --what'],
    [['--no-auth', '--token', 'a'], '--no-auth and --token exclude each other'],
    [['--simulate', 'x'], '--simulate must be OWNER/REPO; got "x"'],
    [['--ollama', 'http://x'], '--ollama needs --simulate OWNER/REPO'],
    [
      ['--simulate', 'a/b', '--poll=-1'],
      '--poll must be milliseconds from 0 to 3600000; got "-1"',
    ],
    [
      ['--simulate', 'a/b', '--github-api', 'nope'],
      '--github-api must be a URL; got "nope"',
    ],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('starts with the Applications of a file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'argocd-local-'));
    const file = path.join(dir, 'apps.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        items: [
          application({
            name: 'phi-dev',
            repoURL: 'https://example.com/c.git',
            destination: { namespace: 'ml' },
          }),
        ],
      }),
    );
    const server = await startFromOptions({
      ...(parseArgs([
        '--port',
        '0',
        '--no-auth',
        '--quiet',
        '--applications',
        file,
      ]) as any),
    });
    try {
      const res = await fetch(`${server.url}/api/v1/applications/phi-dev`);
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
      await fs.rm(dir, { recursive: true });
    }
    await fs.mkdir(dir);
    await fs.writeFile(file, '{"apps": []}');
    await expect(
      startFromOptions({
        ...(parseArgs(['--port', '0', '--applications', file]) as any),
      }),
    ).rejects.toThrow('must hold a list of Applications or {"items": [...]}');
    await fs.rm(dir, { recursive: true });
  });
});
