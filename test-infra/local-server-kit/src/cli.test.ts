import { prefixedLog, runServerCli, type ServerCli } from './cli';

interface Opts {
  host: string;
  port: number;
  fail?: string;
}

class FakeServer {
  readonly events: string[];
  readonly url = 'http://127.0.0.1:1234';
  constructor(events: string[]) {
    this.events = events;
  }
  async stop() {
    this.events.push('server stopped');
  }
}

const USAGE = 'usage: fake-local [--port N]\n';

function parseArgs(argv: string[]): Opts | 'help' {
  if (argv.includes('--help')) return 'help';
  if (argv.includes('--bad')) throw new Error('unknown option --bad');
  const fail = argv.find(a => a.startsWith('fail='))?.slice('fail='.length);
  return { host: '127.0.0.1', port: 7100, fail };
}

describe('runServerCli', () => {
  let out: string;
  let err: string;
  let events: string[];

  beforeEach(() => {
    out = '';
    err = '';
    events = [];
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      out += String(chunk);
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
      err += String(chunk);
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  const cli = (
    extra: Partial<ServerCli<Opts, FakeServer>> = {},
  ): ServerCli<Opts, FakeServer> => ({
    name: 'fake-local',
    usage: USAGE,
    parseArgs,
    async start(opts) {
      if (opts.fail === 'inuse')
        throw Object.assign(new Error('listen EADDRINUSE'), {
          code: 'EADDRINUSE',
        });
      if (opts.fail) throw new Error(opts.fail);
      events.push('started');
      return new FakeServer(events);
    },
    untilStopped: async () => {
      events.push('stop requested');
    },
    ...extra,
  });

  it('prints the usage on --help and exits 0 without starting', async () => {
    expect(await runServerCli(['--help'], cli())).toBe(0);
    expect(out).toBe(USAGE);
    expect(events).toEqual([]);
  });

  it('explains a wrong argument, with the usage, and exits 2', async () => {
    expect(await runServerCli(['--bad'], cli())).toBe(2);
    expect(err).toBe(`fake-local: unknown option --bad\n${USAGE}`);
    expect(out).toBe('');
    expect(events).toEqual([]);
  });

  it('says where it listens, runs until told to stop, then stops', async () => {
    expect(await runServerCli([], cli())).toBe(0);
    expect(out).toBe('[fake-local] listening on http://127.0.0.1:1234\n');
    expect(events).toEqual(['started', 'stop requested', 'server stopped']);
  });

  it('writes what `listening` says, and runs what `started` returns before the server stops', async () => {
    const code = await runServerCli(
      [],
      cli({
        listening: (server, opts) =>
          `listening on ${server.url} (${opts.port})`,
        started: () => {
          events.push('helper started');
          return async () => {
            events.push('helper stopped');
          };
        },
      }),
    );
    expect(code).toBe(0);
    expect(out).toBe(
      '[fake-local] listening on http://127.0.0.1:1234 (7100)\n',
    );
    expect(events).toEqual([
      'started',
      'helper started',
      'stop requested',
      'helper stopped',
      'server stopped',
    ]);
  });

  it('names the taken address and exits 1', async () => {
    expect(await runServerCli(['fail=inuse'], cli())).toBe(1);
    expect(err).toBe(
      'fake-local: 127.0.0.1:7100 is in use; stop what runs there or pass another --port\n',
    );
    expect(
      await runServerCli(
        ['fail=inuse'],
        cli({ addressInUse: address => `${address} is taken (by whom?)` }),
      ),
    ).toBe(1);
    expect(err).toContain('fake-local: 127.0.0.1:7100 is taken (by whom?)\n');
    expect(out).toBe('');
  });

  it('reports other start errors and exits 1, or throws them when told to', async () => {
    expect(await runServerCli(['fail=no seed folder'], cli())).toBe(1);
    expect(err).toBe('fake-local: no seed folder\n');
    await expect(
      runServerCli(['fail=no seed folder'], cli({ startErrors: 'throw' })),
    ).rejects.toThrow('no seed folder');
  });

  it('stops on SIGINT by default', async () => {
    const { untilStopped: _, ...withoutStop } = cli();
    let done = false;
    const run = runServerCli([], withoutStop).then(code => {
      done = true;
      return code;
    });
    while (!out.includes('listening on'))
      await new Promise(r => setImmediate(r));
    expect(done).toBe(false);
    process.emit('SIGINT');
    expect(await run).toBe(0);
    expect(events).toEqual(['started', 'server stopped']);
  });
});

describe('prefixedLog', () => {
  it('writes prefixed lines to stdout', () => {
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation(() => true);
    try {
      prefixedLog('fake-local')('GET / -> 200');
      expect(write).toHaveBeenCalledWith('[fake-local] GET / -> 200\n');
    } finally {
      write.mockRestore();
    }
  });
});
