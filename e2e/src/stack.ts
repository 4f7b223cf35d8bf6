/*
 * The whole Workload Catalog on this machine, on free ports, for the end-to-end tests and the
 * form benchmark: the local GitHub (catalog repo), the Backstage backend, and the production
 * build of the app served statically with the runtime config injected (as Backstage's app
 * backend does). Only Node built-ins here: the benchmark runs this file with plain `node`.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, promises as fs, statSync, readdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import {
  REPO_ROOT,
  ServerProcess,
  freePort,
  startLocalServers,
} from './processes.ts';

export { REPO_ROOT };
const require = createRequire(import.meta.url);
const APP_DIR = path.join(REPO_ROOT, 'packages/app');
const APP_DIST = path.join(APP_DIR, 'dist');

/** The Argo CD session token of the stack's local Argo CD (the backend's config has it). */
export const E2E_ARGOCD_TOKEN = 'e2e-argocd-token';

export interface StackOptions {
  /** Extra backend config merged over app-config.yaml and the stack's own settings. */
  backendConfig?: Record<string, unknown>;
  /** Milliseconds added to every local GitHub API call. */
  githubLatencyMs?: number;
  /** Print the servers' output (default: only when a start fails). */
  verbose?: boolean;
  /** Extra template files registered in the catalog (absolute paths). */
  extraTemplates?: string[];
  /** The app build to serve (default packages/app/dist); the stack serves a copy of it. */
  appDist?: string;
  /**
   * A second app build, served at the same address (so the backend's CORS and sign-in work
   * unchanged) to a browser that sends the cookie `${ALT_APP_COOKIE}`: the form benchmark's
   * app without the plugin.
   */
  altAppDist?: string;
}

/** The cookie that asks the stack's app server for `altAppDist`. */
export const ALT_APP_COOKIE = 'workload-catalog-app=alt';

export interface Stack {
  appUrl: string;
  backendUrl: string;
  githubUrl: string;
  /** The local Argo CD (test-infra/argocd-local); scripted through its /_local endpoints. */
  argocdUrl: string;
  /** The local Ollama (test-infra/ollama-local) the workload status asks for every workload's models. */
  ollamaUrl: string;
  /** The bare git repository behind local/catalog (read it with `git --git-dir`). */
  catalogGitDir: string;
  dataDir: string;
  /** Everything the servers printed, for a failing test's report. */
  logs(): string;
  stop(): Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (
      entry.name === 'node_modules' ||
      entry.name === 'dist' ||
      entry.name.startsWith('.')
    )
      continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs,
    );
  }
  return newest;
}

/** Whether packages/app/dist is older than the app's or our plugin's sources. */
export function appBuildIsStale(): boolean {
  const index = path.join(APP_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = [
    APP_DIR,
    path.join(REPO_ROOT, 'plugins/workload-catalog'),
    path.join(REPO_ROOT, 'plugins/workload-catalog-common'),
  ];
  return sources.some(dir => newestMtime(dir) > built);
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', d => (out += d));
    child.stderr!.on('data', d => (out += d));
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${cmd} ${args.join(' ')} failed (${code}):\n${out.slice(-4000)}`,
            ),
          ),
    );
  });
}

const BUILD_LOCK = path.join(os.tmpdir(), 'workload-catalog-app-build.lock');

/** Runs `fn` holding a lock file shared by every run on this machine. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      await fs.writeFile(BUILD_LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(
        await fs.readFile(BUILD_LOCK, 'utf8').catch(() => '0'),
      );
      let alive = false;
      try {
        alive = holder > 0 && process.kill(holder, 0);
      } catch {
        alive = false;
      }
      if (!alive) await fs.rm(BUILD_LOCK, { force: true });
      else if (Date.now() > deadline)
        throw new Error(`${BUILD_LOCK} is held by process ${holder}`);
      else await new Promise(r => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(BUILD_LOCK, { force: true });
  }
}

/**
 * The production build of the app (about 15 s), skipped when it is newer than its sources.
 * One build at a time on the machine: parallel test runs share packages/app/dist.
 */
export async function buildApp(
  options: { force?: boolean } = {},
): Promise<void> {
  if (!options.force && !appBuildIsStale()) return;
  await withBuildLock(async () => {
    if (!options.force && !appBuildIsStale()) return; // built meanwhile by another run
    await run('yarn', ['backstage-cli', 'package', 'build'], APP_DIR);
  });
}

/** index.html with the runtime config as a `backstage.io/config` script (what the app backend does). */
function injectConfig(html: string, config: unknown): string {
  const json = JSON.stringify([{ context: 'e2e', data: config }]).replace(
    /</g,
    '\\u003c',
  );
  return html.replace(
    '</head>',
    `<script type="backstage.io/config">${json}</script></head>`,
  );
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Serves a built app: files from `dist`, index.html (with config) for every other path. With
 * `altDist`, a request carrying ALT_APP_COOKIE is served from that build instead.
 */
async function serveApp(
  port: number,
  config: unknown,
  dist: string,
  altDist?: string,
): Promise<http.Server> {
  const load = async (dir: string) => ({
    dir,
    index: injectConfig(
      await fs.readFile(path.join(dir, 'index.html'), 'utf8'),
      config,
    ),
  });
  const main = await load(dist);
  const alt = altDist ? await load(altDist) : undefined;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const app =
      alt && (req.headers.cookie ?? '').split(/;\s*/).includes(ALT_APP_COOKIE)
        ? alt
        : main;
    const file = path.normalize(
      path.join(app.dir, decodeURIComponent(url.pathname)),
    );
    if (file.startsWith(app.dir + path.sep) && !file.endsWith('index.html')) {
      try {
        const body = await fs.readFile(file);
        res.writeHead(200, {
          'content-type':
            TYPES[path.extname(file)] ?? 'application/octet-stream',
          'cache-control': 'public, max-age=3600',
        });
        res.end(body);
        return;
      } catch {
        if (url.pathname.startsWith('/static/')) {
          res.writeHead(404).end();
          return;
        }
      }
    }
    res.writeHead(200, {
      'content-type': TYPES['.html'],
      'cache-control': 'no-store',
    });
    res.end(app.index);
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** Starts the local GitHub, the backend and the app; `stop()` ends them and removes the data. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const verbose = options.verbose ?? false;
  const dataDir = await fs.mkdtemp(
    path.join(os.tmpdir(), 'workload-catalog-e2e-'),
  );
  const procs: ServerProcess[] = [];
  let appServer: http.Server | undefined;
  const stop = async () => {
    await Promise.all(procs.map(p => p.stop()));
    if (appServer)
      await new Promise<void>(resolve => appServer!.close(() => resolve()));
    appServer?.closeAllConnections();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  try {
    const [backendPort, appPort] = [await freePort(), await freePort()];
    // The workload status sources (Argo CD, the workloads' Ollama): states scripted by tests.
    const { githubUrl, argocdUrl, ollamaUrl } = await startLocalServers(
      {
        githubDataDir: path.join(dataDir, 'github'),
        argocdToken: E2E_ARGOCD_TOKEN,
        githubLatencyMs: options.githubLatencyMs,
        verbose,
      },
      procs,
    );
    const githubHost = new URL(githubUrl).host;
    const appUrl = `http://127.0.0.1:${appPort}`;
    const backendUrl = `http://127.0.0.1:${backendPort}`;

    const config = {
      app: { baseUrl: appUrl },
      backend: {
        baseUrl: backendUrl,
        listen: { port: backendPort, host: '127.0.0.1' },
        cors: {
          origin: appUrl,
          methods: ['GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'DELETE'],
          credentials: true,
        },
      },
      integrations: {
        github: [
          {
            host: githubHost,
            apiBaseUrl: `${githubUrl}/api/v3`,
            token: 'local-dev-token',
          },
        ],
      },
      ...(options.extraTemplates?.length
        ? {
            catalog: {
              // (our own templates come from the catalog module's provider)
              locations: [
                {
                  type: 'file',
                  target: path.join(REPO_ROOT, 'examples/org/org.yaml'),
                  rules: [{ allow: ['Group', 'User'] }],
                },
                ...options.extraTemplates.map(target => ({
                  type: 'file',
                  target,
                  rules: [{ allow: ['Template'] }],
                })),
              ],
            },
          }
        : {}),
      // Roadie's Argo CD card reads the local Argo CD through Backstage's proxy.
      proxy: {
        endpoints: {
          '/argocd/api': {
            target: `${argocdUrl}/api/v1`,
            headers: { Authorization: `Bearer ${E2E_ARGOCD_TOKEN}` },
          },
        },
      },
      workloadCatalog: {
        catalogRepo: { url: `${githubUrl}/local/catalog` },
        status: {
          cacheTtlSeconds: 0,
          argocd: { baseUrl: argocdUrl, token: E2E_ARGOCD_TOKEN },
          ollama: { urlPattern: ollamaUrl },
        },
      },
    };
    // The catalog provider reads the catalog repo every second (default 60 s), on a local
    // timer (a global task is only checked for every 5 s).
    (config as Record<string, any>).catalog = deepMerge(
      (config as Record<string, any>).catalog ?? {},
      {
        providers: {
          workloadCatalog: {
            schedule: {
              frequency: { seconds: 1 },
              timeout: { seconds: 30 },
              scope: 'local',
            },
          },
        },
      },
    );
    const overrides = deepMerge(config, options.backendConfig ?? {});
    const configFile = path.join(dataDir, 'app-config.e2e.json');
    await fs.writeFile(configFile, JSON.stringify(overrides, null, 2));

    // The backend from source, as `backstage-cli package start` runs it but without its file
    // watcher (a file saved elsewhere in the repository must not restart it mid-test).
    const backend = new ServerProcess(
      'backend',
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
          paths: [REPO_ROOT],
        }),
        'src/index.ts',
        '--config',
        path.join(REPO_ROOT, 'app-config.yaml'),
        '--config',
        configFile,
      ],
      {
        cwd: path.join(REPO_ROOT, 'packages/backend'),
        env: { NODE_ENV: 'development', LOG_LEVEL: verbose ? 'info' : 'warn' },
        verbose,
      },
    );
    procs.push(backend);
    await backend.waitForHttp(
      `${backendUrl}/.backstage/health/v1/readiness`,
      120_000,
    );

    // A copy of the build: a rebuild by another run (new chunk names) cannot break this one.
    const copyDist = async (from: string, name: string) => {
      const to = path.join(dataDir, name);
      await fs.cp(from, to, {
        recursive: true,
        filter: src =>
          !src.endsWith('.map') && !src.endsWith('bundle-stats.json'),
      });
      return to;
    };
    appServer = await serveApp(
      appPort,
      { app: { baseUrl: appUrl }, backend: { baseUrl: backendUrl } },
      await copyDist(options.appDist ?? APP_DIST, 'app'),
      options.altAppDist
        ? await copyDist(options.altAppDist, 'app-alt')
        : undefined,
    );

    return {
      appUrl,
      backendUrl,
      githubUrl,
      argocdUrl,
      ollamaUrl,
      catalogGitDir: await findGitDir(
        path.join(dataDir, 'github'),
        'local',
        'catalog',
      ),
      dataDir,
      logs: () => procs.map(p => `--- ${p.name}\n${p.output()}`).join('\n'),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function findGitDir(
  root: string,
  owner: string,
  repo: string,
): Promise<string> {
  for (const candidate of [
    path.join(root, owner, `${repo}.git`),
    path.join(root, owner, repo),
    path.join(root, `${owner}-${repo}.git`),
  ]) {
    if (existsSync(path.join(candidate, 'HEAD'))) return candidate;
  }
  // fall back to a search: the layout belongs to test-infra/github-local
  const walk = async (
    dir: string,
    depth: number,
  ): Promise<string | undefined> => {
    if (
      existsSync(path.join(dir, 'HEAD')) &&
      existsSync(path.join(dir, 'objects'))
    )
      return dir;
    if (depth === 0) return undefined;
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        const hit = await walk(path.join(dir, e.name), depth - 1);
        if (hit && hit.includes(repo)) return hit;
      }
    }
    return undefined;
  };
  const hit = await walk(root, 4);
  if (!hit)
    throw new Error(`no git repository for ${owner}/${repo} under ${root}`);
  return hit;
}

function deepMerge(
  base: Record<string, any>,
  over: Record<string, any>,
): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      base[k] &&
      typeof base[k] === 'object' &&
      !Array.isArray(base[k])
        ? deepMerge(base[k], v)
        : v;
  }
  return out;
}
