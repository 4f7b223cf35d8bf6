/*
 * The servers' command-line options, read by Node's own `util.parseArgs` (strict: no
 * unknown options, no positionals), with messages that name the option and what it takes.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{
    args: string[];
    options: O & { help: { type: 'boolean'; short: 'h' } };
    strict: true;
    allowPositionals: false;
  }>
>['values'];

/** Rewords `util.parseArgs`'s errors: `--port needs a value`, `unknown option --x`, ... */
function explain(error: unknown): Error {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-[^' <]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new Error(`unknown option ${option}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new Error(
        `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}: every value follows its option`,
      );
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('does not take an argument'))
        return new Error(`${option} takes no value`);
      if (message.includes('ambiguous'))
        return new Error(
          `${option} needs a value (one that starts with "-" is written ${option}=VALUE)`,
        );
      return new Error(`${option} needs a value`);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Parses a server's arguments: `'help'` for `-h`/`--help`, else the values by option name
 * (repeatable options with `multiple: true`). Throws an Error that says what is wrong.
 */
export function parseCliArgs<O extends ParseArgsOptionsConfig>(
  argv: string[],
  options: O,
): Omit<Parsed<O>, 'help'> | 'help' {
  let values: Parsed<O>;
  try {
    values = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } } as O & {
        help: { type: 'boolean'; short: 'h' };
      },
      strict: true,
      allowPositionals: false,
    }).values as Parsed<O>;
  } catch (error) {
    throw explain(error);
  }
  if ((values as { help?: boolean }).help) return 'help';
  return values;
}

/** A whole number from `min` to `max`, or an Error naming the option and the range. */
export function wholeNumber(
  option: string,
  raw: string,
  {
    min = 0,
    max,
    unit = 'a whole number',
  }: { min?: number; max: number; unit?: string },
): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new Error(
      `${option} must be ${unit} from ${min} to ${max}; got "${raw}"`,
    );
  return n;
}

/** `--port N`: 0 (any free port) to 65535. */
export const portNumber = (raw: string) =>
  wholeNumber('--port', raw, { max: 65535 });

/** `OWNER/NAME` of a repository, or an Error naming the option. */
export function ownerSlashName(
  option: string,
  raw: string,
  what = 'OWNER/NAME',
): { owner: string; repo: string } {
  const [owner, repo, ...extra] = raw.split('/');
  if (!owner || !repo || extra.length)
    throw new Error(`${option} must be ${what}; got "${raw}"`);
  return { owner, repo };
}
