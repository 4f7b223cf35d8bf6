/*
 * `github-local`: runs the server in the foreground, e.g. as the catalog repository of a
 * local Backstage (scripts/start.sh).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  ownerSlashName,
  parseCliArgs,
  portNumber,
  prefixedLog,
  runServerCli,
  wholeNumber,
} from '@workload-catalog/local-server-kit';
import { LocalGitHub } from './server';

export const USAGE = `usage: github-local [options]

  --port N           port to listen on (default 7008; 0 = any free port)
  --host H           address to listen on (default 127.0.0.1)
  --data-dir DIR     where the git repositories live (default .github-local)
  --repo OWNER/NAME  a repository to create when missing (repeatable; default local/catalog)
  --seed DIR         files of the first commit of new repositories (default: a README)
  --seed-prefix P    put the seed files under the folder P of the repository
  --token T          accepted API token (repeatable; default local-dev-token)
  --latency MS       added to every API call
  --quiet            do not log requests
`;

export interface CliOptions {
  port: number;
  host: string;
  dataDir: string;
  repos: Array<{ owner: string; repo: string }>;
  tokens: string[];
  latency: number;
  quiet: boolean;
  seed?: string;
  seedPrefix: string;
}

/** Parses the arguments; throws an Error whose message says what is wrong. */
export function parseArgs(argv: string[]): CliOptions | 'help' {
  const values = parseCliArgs(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    repo: { type: 'string', multiple: true },
    seed: { type: 'string' },
    'seed-prefix': { type: 'string' },
    token: { type: 'string', multiple: true },
    latency: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (values === 'help') return 'help';
  // eslint-disable-next-line redos/no-vulnerable -- a command-line option of the test server
  const seedPrefix = (values['seed-prefix'] ?? '').replace(/^\/+|\/+$/g, '');
  if (seedPrefix.split('/').some(s => s === '..' || s === '.')) {
    throw new Error(
      `--seed-prefix must be a folder inside the repository; got "${values['seed-prefix']}"`,
    );
  }
  const repos = (values.repo ?? []).map(r => ownerSlashName('--repo', r));
  return {
    port: values.port === undefined ? 7008 : portNumber(values.port),
    host: values.host ?? '127.0.0.1',
    dataDir: values['data-dir'] ?? '.github-local',
    repos: repos.length ? repos : [{ owner: 'local', repo: 'catalog' }],
    tokens: values.token ?? [],
    latency:
      values.latency === undefined
        ? 0
        : wholeNumber('--latency', values.latency, { max: 60_000 }),
    quiet: values.quiet ?? false,
    ...(values.seed !== undefined ? { seed: values.seed } : {}),
    seedPrefix,
  };
}

async function readTree(
  dir: string,
  prefix: string,
): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, await readTree(full, rel));
    else if (entry.isFile()) out[rel] = await fs.readFile(full);
  }
  return out;
}

/** Starts the server as the options say (the caller stops it). */
export async function startFromOptions(opts: CliOptions): Promise<LocalGitHub> {
  const files = opts.seed
    ? await readTree(path.resolve(opts.seed), opts.seedPrefix)
    : undefined;
  return LocalGitHub.start({
    port: opts.port,
    host: opts.host,
    dataDir: path.resolve(opts.dataDir),
    tokens: opts.tokens.length ? opts.tokens : undefined,
    latencyMs: opts.latency,
    repos: opts.repos.map(r => ({ ...r, files })),
    log: opts.quiet ? undefined : prefixedLog('github-local'),
  });
}

export function main(argv: string[]): Promise<number> {
  return runServerCli(argv, {
    name: 'github-local',
    usage: USAGE,
    parseArgs,
    start: startFromOptions,
    listening: (server, opts) =>
      `listening on ${server.url} (REST ${server.apiUrl}); repositories: ${opts.repos
        .map(r => `${server.url}/${r.owner}/${r.repo}`)
        .join(', ')}; data in ${server.dataDir}`,
    // The bin script reports them (exit code 2).
    startErrors: 'throw',
  });
}
