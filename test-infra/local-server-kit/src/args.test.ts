import { ownerSlashName, parseCliArgs, portNumber, wholeNumber } from './args';

const OPTIONS = {
  port: { type: 'string' },
  model: { type: 'string', multiple: true },
  quiet: { type: 'boolean' },
} as const;

describe('parseCliArgs', () => {
  it('reads values, repeated options and flags, and help', () => {
    expect(
      parseCliArgs(
        ['--port', '1', '--model', 'a', '--model=b', '--quiet'],
        OPTIONS,
      ),
    ).toEqual({ port: '1', model: ['a', 'b'], quiet: true });
    expect(parseCliArgs([], OPTIONS)).toEqual({});
    expect(parseCliArgs(['-h'], OPTIONS)).toBe('help');
    expect(parseCliArgs(['--port', '1', '--help'], OPTIONS)).toBe('help');
  });

  it.each([
    [['--what', '1'], 'unknown option --what'],
    [['--port'], '--port needs a value'],
    [
      ['--port', '--quiet'],
      '--port needs a value (one that starts with "-" is written --port=VALUE)',
    ],
    [['--quiet=yes'], '--quiet takes no value'],
    [['--quiet', 'x'], 'unexpected argument x: every value follows its option'],
  ])('says what is wrong with %j', (argv, message) => {
    expect(() => parseCliArgs(argv, OPTIONS)).toThrow(
      new Error(message as string),
    );
  });
});

describe('option values', () => {
  it('checks whole numbers, ports and OWNER/NAME', () => {
    expect(portNumber('0')).toBe(0);
    expect(portNumber('65535')).toBe(65535);
    for (const bad of ['65536', '-1', '1.5', '', 'x'])
      expect(() => portNumber(bad)).toThrow(
        `--port must be a whole number from 0 to 65535; got "${bad}"`,
      );
    expect(
      wholeNumber('--poll', '50', { max: 3_600_000, unit: 'milliseconds' }),
    ).toBe(50);
    expect(() =>
      wholeNumber('--poll', '-1', { max: 3_600_000, unit: 'milliseconds' }),
    ).toThrow('--poll must be milliseconds from 0 to 3600000; got "-1"');
    expect(ownerSlashName('--repo', 'local/catalog')).toEqual({
      owner: 'local',
      repo: 'catalog',
    });
    for (const bad of ['catalog', 'a/b/c', '/b', 'a/'])
      expect(() => ownerSlashName('--repo', bad)).toThrow(
        `--repo must be OWNER/NAME; got "${bad}"`,
      );
  });
});
