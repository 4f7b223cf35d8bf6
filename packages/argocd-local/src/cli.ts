/*
 * `argocd-local`: runs the server in the foreground (scripts/start.sh, the e2e stack).
 */
import { promises as fs } from 'node:fs';
import { prefixedLog, runServerCli } from '@workload-catalog/local-server-kit';
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

/** Parses the arguments; throws an Error whose message says what is wrong. */
export function parseArgs(argv: string[]): CliOptions | 'help' {
  const opts: CliOptions = {
    port: 7009,
    host: '127.0.0.1',
    tokens: [],
    noAuth: false,
    quiet: false,
  };
  const sim = {
    githubApi: 'http://127.0.0.1:7008/api/v3',
    githubToken: 'local-dev-token',
    branch: 'main',
    ollama: undefined as string | undefined,
    syncDelayMs: 3000,
    healthyDelayMs: 5000,
    pollMs: 2000,
  };
  let simulate: { owner: string; repo: string } | undefined;
  const simulationFlags: string[] = [];
  const ms = (flag: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 3_600_000)
      throw new Error(
        `${flag} must be milliseconds from 0 to 3600000; got "${value}"`,
      );
    simulationFlags.push(flag);
    return n;
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
      case '--simulate': {
        const [owner, repo, ...extra] = value.split('/');
        if (!owner || !repo || extra.length)
          throw new Error(`--simulate must be OWNER/REPO; got "${value}"`);
        simulate = { owner, repo };
        break;
      }
      case '--github-api':
      case '--ollama':
        if (!URL.canParse(value)) {
          throw new Error(`${flag} must be a URL; got "${value}"`);
        }
        if (flag === '--ollama') sim.ollama = value.replace(/\/+$/, '');
        else sim.githubApi = value.replace(/\/+$/, '');
        simulationFlags.push(flag);
        break;
      case '--github-token':
        sim.githubToken = value;
        simulationFlags.push(flag);
        break;
      case '--branch':
        sim.branch = value;
        simulationFlags.push(flag);
        break;
      case '--sync-delay':
        sim.syncDelayMs = ms(flag, value);
        break;
      case '--healthy-delay':
        sim.healthyDelayMs = ms(flag, value);
        break;
      case '--poll':
        sim.pollMs = ms(flag, value);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  if (opts.noAuth && opts.tokens.length)
    throw new Error('--no-auth and --token exclude each other');
  if (simulate) opts.simulate = { ...simulate, ...sim };
  else if (simulationFlags.length)
    throw new Error(`${simulationFlags[0]} needs --simulate OWNER/REPO`);
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
