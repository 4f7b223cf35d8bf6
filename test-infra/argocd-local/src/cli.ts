/*
 * `argocd-local`: runs the server in the foreground (scripts/start.sh, the e2e stack).
 */
import { promises as fs } from 'node:fs';
import {
  ownerSlashName,
  parseCliArgs,
  portNumber,
  prefixedLog,
  runServerCli,
  wholeNumber,
} from '@workload-catalog/local-server-kit';
import type { ArgoApplication } from './applications';
import { LocalArgoCD } from './server';
import { ApplicationSetSimulator } from './simulator';

export const USAGE = `usage: argocd-local [options]

  --port N          port to listen on (default 7009; 0 = any free port)
  --host H          address to listen on (default 127.0.0.1)
  --token T         accepted session token (repeatable; default local-argocd-token)
  --no-auth         accept requests without a session
  --applications F  a JSON file with Applications to start with (a list, or {items: [...]})
  --quiet           do not log requests

Simulate the ApplicationSet and Argo CD (embedded default; no cluster):
  --simulate OWNER/REPO  keep one Application per leaf of this catalog repo, and walk new
                         or changed leaves through OutOfSync, Synced/Progressing, Healthy
  --github-api URL       the GitHub REST API of that repo (default http://127.0.0.1:7008/api/v3)
  --github-token T       its token (default local-dev-token)
  --branch B             the branch Argo CD follows (default main)
  --ollama URL           ollama-local: pull the models of healthy Ollama workloads there
  --sync-delay MS        OutOfSync to Synced/Progressing (default 3000)
  --healthy-delay MS     Progressing to Healthy (default 5000)
  --poll MS              how often the repo is read (default 2000)

Control endpoints (for tests in other processes; no authentication): see README.md.
`;

export interface CliOptions {
  port: number;
  host: string;
  tokens: string[];
  noAuth: boolean;
  applicationsFile?: string;
  quiet: boolean;
  simulate?: {
    owner: string;
    repo: string;
    githubApi: string;
    githubToken: string;
    branch: string;
    ollama?: string;
    syncDelayMs: number;
    healthyDelayMs: number;
    pollMs: number;
  };
}

/** The options that only mean something with --simulate, in the order of the usage. */
const SIMULATION_OPTIONS = [
  'github-api',
  'github-token',
  'branch',
  'ollama',
  'sync-delay',
  'healthy-delay',
  'poll',
] as const;

/** Parses the arguments; throws an Error whose message says what is wrong. */
export function parseArgs(argv: string[]): CliOptions | 'help' {
  const values = parseCliArgs(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string', multiple: true },
    'no-auth': { type: 'boolean' },
    applications: { type: 'string' },
    quiet: { type: 'boolean' },
    simulate: { type: 'string' },
    'github-api': { type: 'string' },
    'github-token': { type: 'string' },
    branch: { type: 'string' },
    ollama: { type: 'string' },
    'sync-delay': { type: 'string' },
    'healthy-delay': { type: 'string' },
    poll: { type: 'string' },
  });
  if (values === 'help') return 'help';
  const tokens = values.token ?? [];
  const noAuth = values['no-auth'] ?? false;
  if (noAuth && tokens.length)
    throw new Error('--no-auth and --token exclude each other');
  const ms = (
    option: (typeof SIMULATION_OPTIONS)[number],
    fallback: number,
  ) => {
    const raw = values[option];
    return raw === undefined
      ? fallback
      : wholeNumber(`--${option}`, raw, {
          max: 3_600_000,
          unit: 'milliseconds',
        });
  };
  const url = (option: 'github-api' | 'ollama') => {
    const raw = values[option];
    if (raw === undefined) return undefined;
    if (!URL.canParse(raw))
      throw new Error(`--${option} must be a URL; got "${raw}"`);
    // eslint-disable-next-line redos/no-vulnerable -- a command-line option of the test server
    return raw.replace(/\/+$/, '');
  };
  const opts: CliOptions = {
    port: values.port === undefined ? 7009 : portNumber(values.port),
    host: values.host ?? '127.0.0.1',
    tokens,
    noAuth,
    quiet: values.quiet ?? false,
    ...(values.applications !== undefined
      ? { applicationsFile: values.applications }
      : {}),
  };
  if (values.simulate === undefined) {
    const stray = SIMULATION_OPTIONS.find(o => values[o] !== undefined);
    if (stray) throw new Error(`--${stray} needs --simulate OWNER/REPO`);
    return opts;
  }
  opts.simulate = {
    ...ownerSlashName('--simulate', values.simulate, 'OWNER/REPO'),
    githubApi: url('github-api') ?? 'http://127.0.0.1:7008/api/v3',
    githubToken: values['github-token'] ?? 'local-dev-token',
    branch: values.branch ?? 'main',
    ollama: url('ollama'),
    syncDelayMs: ms('sync-delay', 3000),
    healthyDelayMs: ms('healthy-delay', 5000),
    pollMs: ms('poll', 2000),
  };
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
    log: opts.quiet ? undefined : prefixedLog('argocd-local'),
  });
}

export function main(argv: string[]): Promise<number> {
  const log = prefixedLog('argocd-local');
  return runServerCli(argv, {
    name: 'argocd-local',
    usage: USAGE,
    parseArgs,
    start: startFromOptions,
    listening: server =>
      `listening on ${server.url} (API ${server.url}/api/v1/applications)`,
    started: (server, opts) => {
      if (!opts.simulate) return undefined;
      const s = opts.simulate;
      const simulator = new ApplicationSetSimulator({
        argo: server,
        github: {
          apiUrl: s.githubApi,
          token: s.githubToken,
          owner: s.owner,
          repo: s.repo,
          branch: s.branch,
        },
        syncDelayMs: s.syncDelayMs,
        healthyDelayMs: s.healthyDelayMs,
        ollamaControlUrl: s.ollama,
        log,
      });
      simulator.start(s.pollMs);
      log(
        `simulating the ApplicationSet over ${s.githubApi} ${s.owner}/${s.repo} (${s.branch})`,
      );
      return () => simulator.stop();
    },
  });
}
