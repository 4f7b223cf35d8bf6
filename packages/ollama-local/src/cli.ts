/*
 * `ollama-local`: runs the server in the foreground (scripts/start.sh, the e2e stack).
 */
import { prefixedLog, runServerCli } from '@workload-catalog/local-server-kit';
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

export function parseArgs(argv: string[]): CliOptions | 'help' {
  const opts: CliOptions = {
    port: 11434,
    host: '127.0.0.1',
    models: [],
    loaded: [],
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '-h' || flag === '--help') return 'help';
    if (flag === '--quiet') {
      opts.quiet = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--port': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0 || n > 65535)
          throw new Error(
            `--port must be a whole number from 0 to 65535; got "${value}"`,
          );
        opts.port = n;
        break;
      }
      case '--host':
        opts.host = value;
        break;
      case '--model':
        opts.models.push(value);
        break;
      case '--loaded':
        opts.loaded.push(value);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return opts;
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
