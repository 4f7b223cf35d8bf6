/*
 * `argocd-local`: runs the server in the foreground (scripts/start.sh, the e2e stack).
 */
import { promises as fs } from 'node:fs';
import type { ArgoApplication } from './applications';
import { LocalArgoCD } from './server';

export const USAGE = `usage: argocd-local [options]

  --port N          port to listen on (default 7009; 0 = any free port)
  --host H          address to listen on (default 127.0.0.1)
  --token T         accepted session token (repeatable; default local-argocd-token)
  --no-auth         accept requests without a session
  --applications F  a JSON file with Applications to start with (a list, or {items: [...]})
  --quiet           do not log requests

Control endpoints (for tests in other processes; no authentication): see README.md.
`;

export interface CliOptions {
  port: number;
  host: string;
  tokens: string[];
  noAuth: boolean;
  applicationsFile?: string;
  quiet: boolean;
}

/** Parses the arguments; throws an Error whose message says what is wrong. */
export function parseArgs(argv: string[]): CliOptions | 'help' {
  const opts: CliOptions = {
    port: 7009,
    host: '127.0.0.1',
    tokens: [],
    noAuth: false,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '-h' || flag === '--help') return 'help';
    if (flag === '--quiet') {
      opts.quiet = true;
      continue;
    }
    if (flag === '--no-auth') {
      opts.noAuth = true;
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
      case '--token':
        opts.tokens.push(value);
        break;
      case '--applications':
        opts.applicationsFile = value;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  if (opts.noAuth && opts.tokens.length)
    throw new Error('--no-auth and --token exclude each other');
  return opts;
}

async function readApplications(file: string): Promise<ArgoApplication[]> {
  const data = JSON.parse(await fs.readFile(file, 'utf8'));
  const items = Array.isArray(data) ? data : data?.items;
  if (!Array.isArray(items))
    throw new Error(
      `${file} must hold a list of Applications or {"items": [...]}`,
    );
  return items;
}

function configuredTokens(opts: CliOptions): string[] | undefined {
  if (opts.noAuth) return [];
  return opts.tokens.length ? opts.tokens : undefined;
}

export async function startFromOptions(opts: CliOptions): Promise<LocalArgoCD> {
  return LocalArgoCD.start({
    port: opts.port,
    host: opts.host,
    tokens: configuredTokens(opts),
    applications: opts.applicationsFile
      ? await readApplications(opts.applicationsFile)
      : undefined,
    log: opts.quiet
      ? undefined
      : line => process.stdout.write(`[argocd-local] ${line}\n`),
  });
}

export async function main(argv: string[]): Promise<number> {
  let opts: CliOptions | 'help';
  try {
    opts = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`argocd-local: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let server: LocalArgoCD;
  try {
    server = await startFromOptions(opts);
  } catch (error: any) {
    if (error?.code === 'EADDRINUSE') {
      process.stderr.write(
        `argocd-local: ${opts.host}:${opts.port} is in use; stop what runs there or pass another --port\n`,
      );
      return 1;
    }
    process.stderr.write(`argocd-local: ${error?.message ?? error}\n`);
    return 1;
  }
  process.stdout.write(
    `[argocd-local] listening on ${server.url} (API ${server.url}/api/v1/applications)\n`,
  );
  await new Promise<void>(resolve => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.stop();
  return 0;
}
