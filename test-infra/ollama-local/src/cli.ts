/*
 * `ollama-local`: runs the server in the foreground (scripts/start.sh, the e2e stack).
 */
import {
  parseCliArgs,
  portNumber,
  prefixedLog,
  runServerCli,
} from '@workload-catalog/local-server-kit';
import { LocalOllama } from './server';

export const USAGE = `usage: ollama-local [options]

  --port N       port to listen on (default 11434; 0 = any free port)
  --host H       address to listen on (default 127.0.0.1)
  --model NAME   a model pulled at start (repeatable), e.g. phi:latest
  --loaded NAME  a pulled model loaded at start (repeatable)
  --quiet        do not log requests

Control endpoints (for tests in other processes): see README.md.
`;

export interface CliOptions {
  port: number;
  host: string;
  models: string[];
  loaded: string[];
  quiet: boolean;
}

/** Parses the arguments; throws an Error whose message says what is wrong. */
export function parseArgs(argv: string[]): CliOptions | 'help' {
  const values = parseCliArgs(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    model: { type: 'string', multiple: true },
    loaded: { type: 'string', multiple: true },
    quiet: { type: 'boolean' },
  });
  if (values === 'help') return 'help';
  return {
    port: values.port === undefined ? 11434 : portNumber(values.port),
    host: values.host ?? '127.0.0.1',
    models: values.model ?? [],
    loaded: values.loaded ?? [],
    quiet: values.quiet ?? false,
  };
}

export function startFromOptions(opts: CliOptions): Promise<LocalOllama> {
  return LocalOllama.start({
    port: opts.port,
    host: opts.host,
    models: opts.models.map(name => ({ name })),
    loaded: opts.loaded,
    log: opts.quiet ? undefined : prefixedLog('ollama-local'),
  });
}

export function main(argv: string[]): Promise<number> {
  return runServerCli(argv, {
    name: 'ollama-local',
    usage: USAGE,
    parseArgs,
    start: startFromOptions,
    addressInUse: address =>
      `${address} is in use (a real Ollama?); stop it or pass another --port`,
  });
}
