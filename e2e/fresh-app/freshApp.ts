/*
 * The fresh-app proof: a brand-new Backstage app made by @backstage/create-app, our plugins
 * installed into it from `yarn pack` tarballs by the README's install section
 * (installGuide.ts), started against the local GitHub, Argo CD and Ollama (test-infra/).
 * Every phase is timed; the figures go to test-results/fresh-app/timings.json and stderr.
 *
 * Work happens under $WC_CACHE/fresh-app (never in the repository): runs/<time>/app is the
 * app, runs/<time>/tarballs our packages, yarn-cache Yarn's cache shared by runs (a second
 * run installs faster). A run is removed by a later one after 20 minutes; the newest stays, for
 * debugging (FRESH_APP_REUSE).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, applyInstallGuide, tarballsIn } from './installGuide.ts';
import {
  ServerProcess,
  freePort,
  startLocalServers,
} from '../src/processes.ts';

/** The create-app release that makes a Backstage 1.55 app, the release of this repository. */
export const CREATE_APP = '@backstage/create-app@0.9.2';
/** The Argo CD session token the backend is given for the local Argo CD. */
export const ARGOCD_TOKEN = 'fresh-app-argocd-token';

// scripts/toolchain.sh's cache folder (WORKLOAD_CATALOG_CACHE, else ~/.cache/workload-catalog)
const CACHE =
  process.env.WORKLOAD_CATALOG_CACHE ||
  process.env.WC_CACHE ||
  path.join(
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
    'workload-catalog',
  );
const WORK = path.join(CACHE, 'fresh-app');

export interface Timings {
  [phase: string]: number;
}

const timings: Timings = {};
async function timed<T>(phase: string, fn: () => Promise<T> | T): Promise<T> {
  const t = Date.now();
  log(`${phase} ...`);
  try {
    return await fn();
  } finally {
    timings[phase] = Math.round((Date.now() - t) / 100) / 10;
    log(`${phase}: ${timings[phase]} s`);
  }
}

function log(line: string) {
  process.stderr.write(`[fresh-app] ${line}\n`);
}

/** Environment of every yarn command in the fresh app. */
function yarnEnv(): NodeJS.ProcessEnv {
  // npm's own setting (as scripts/toolchain.sh), asked outside any workspace: npm refuses
  // `config get` inside one.
  const registry =
    process.env.YARN_NPM_REGISTRY_SERVER ||
    spawnSync('npm', ['config', 'get', 'registry'], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
    }).stdout.trim();
  if (!/^https?:\/\//.test(registry))
    throw new Error(
      `no npm registry address: set YARN_NPM_REGISTRY_SERVER (npm config get registry said "${registry}")`,
    );
  return {
    YARN_NPM_REGISTRY_SERVER: registry,
    // One cache for every run, outside the app (a second run fetches nothing).
    YARN_ENABLE_GLOBAL_CACHE: 'false',
    YARN_CACHE_FOLDER: path.join(WORK, 'yarn-cache'),
    // CI=1 makes Yarn refuse to change a lockfile; adding packages changes it.
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
    // `yarn add` otherwise asks a search service (not the registry) for @types packages:
    // unreachable here, and Yarn 4.13 crashes on its retry.
    YARN_TS_ENABLE_AUTO_TYPES: 'false',
    YARN_ENABLE_TELEMETRY: 'false',
    YARN_ENABLE_PROGRESS_BARS: 'false',
  };
}

/** Runs a command to its end; its output goes to `logFile`, the tail into the error. */
function run(
  cmd: string,
  args: string[],
  cwd: string,
  logFile: string,
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('exit', code => {
      writeFileSync(logFile, out);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${cmd} ${args.join(' ')} failed in ${cwd} (exit ${code}; ${logFile}):\n${out.slice(-3000)}`,
          ),
        );
    });
  });
}

/** The published packages of this repository: plugins/* that are not private. */
export function publishedPackages(): string[] {
  const dir = path.join(REPO_ROOT, 'plugins');
  return readdirSync(dir)
    .map(name => path.join(dir, name))
    .filter(p => existsSync(path.join(p, 'package.json')))
    .filter(
      p =>
        !JSON.parse(readFileSync(path.join(p, 'package.json'), 'utf8')).private,
    );
}

/** Builds our packages (type declarations first, as `backstage-cli repo build` needs) and packs them. */
async function packPackages(runDir: string, tarballDir: string) {
  mkdirSync(tarballDir, { recursive: true });
  const logs = path.join(runDir, 'logs');
  // tsc writes dist-types, which the package builds read their declarations from; a type
  // error elsewhere in the repository is the type-check stage's business, not this one's.
  await run('yarn', ['tsc'], REPO_ROOT, path.join(logs, 'tsc.log')).catch(e =>
    log(
      `tsc reported errors (declarations are still written): ${String(e).split('\n')[0]}`,
    ),
  );
  await run(
    'yarn',
    ['backstage-cli', 'repo', 'build'],
    REPO_ROOT,
    path.join(logs, 'repo-build.log'),
  );
  const packages = publishedPackages();
  // `yarn pack` runs the package's prepack (backstage-cli rewrites package.json for
  // publishing, keeping the original as package.json-prepack) and postpack (puts it back).
  // Should a pack fail in between, put the original back here: this is a shared work tree.
  const pack = (dir: string, out = tarballDir) =>
    run(
      'yarn',
      ['pack', '--out', path.join(out, '%s-%v.tgz')],
      dir,
      path.join(logs, `pack-${path.basename(dir)}.log`),
    ).finally(() => {
      const backup = path.join(dir, 'package.json-prepack');
      if (existsSync(backup))
        renameSync(backup, path.join(dir, 'package.json'));
    });
  // two at a time: the machine has two cores
  for (let i = 0; i < packages.length; i += 2) {
    await Promise.all(packages.slice(i, i + 2).map(dir => pack(dir)));
  }
  // The CLI is published too (not installed into the app): packed beside, for the check.
  const cliDir = path.join(runDir, 'tarballs-cli');
  mkdirSync(cliDir, { recursive: true });
  await pack(path.join(REPO_ROOT, 'packages/cli'), cliDir);
  // Every file each packed package.json names is in its tarball, nothing points at src/.
  const tarballs = [tarballDir, cliDir].flatMap(dir =>
    readdirSync(dir)
      .filter(f => f.endsWith('.tgz'))
      .map(f => path.join(dir, f)),
  );
  const check = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'scripts/check-packed.cjs'), ...tarballs],
    { encoding: 'utf8' },
  );
  if (check.status !== 0) {
    throw new Error(
      `the packed packages are incomplete (scripts/check-packed.cjs):\n${check.stdout}${check.stderr}`,
    );
  }
  log(`packed and checked: ${tarballs.map(t => path.basename(t)).join(', ')}`);
}

export interface FreshApp {
  appDir: string;
  /** The backend, which also serves the app's production build (app-backend). */
  appUrl: string;
  githubUrl: string;
  argocdUrl: string;
  ollamaUrl: string;
  catalogGitDir: string;
  timings: Timings;
  logs(): string;
  stop(): Promise<void>;
}

/** Removes runs older than 20 minutes (a run takes about 6), except the newest; each is ~2 GB. */
function pruneRuns(runs: string) {
  if (!existsSync(runs)) return;
  const names = readdirSync(runs).sort();
  for (const name of names.slice(0, -1)) {
    const dir = path.join(runs, name);
    if (Date.now() - statSync(dir).mtimeMs > 20 * 60_000)
      rmSync(dir, { recursive: true, force: true });
  }
}

/** create-app, its install, our tarballs, the README's install steps, the app's build. */
async function createAndInstall(runDir: string, env: NodeJS.ProcessEnv) {
  const appDir = path.join(runDir, 'app');
  const tarballDir = path.join(runDir, 'tarballs');
  const logs = path.join(runDir, 'logs');
  mkdirSync(logs, { recursive: true });
  log(`working in ${runDir}`);

  await timed('create-app', () =>
    // It asks the app's name on standard input, and needs yarn on PATH (toolchain.sh).
    run(
      'npx',
      ['-y', CREATE_APP, '--skip-install', '--path', appDir],
      runDir,
      path.join(logs, 'create-app.log'),
      { input: 'fresh-app\n', env },
    ),
  );
  await timed('app install (yarn install of the new app)', async () => {
    // As created, the app does not start here (../shared/TOOLCHAIN.md): signals-backend
    // 0.3.21 needs a newer backend-plugin-api than backend-defaults 0.18, and
    // better-sqlite3 12 crashes Node 24. Both resolutions are the app owner's to make.
    const file = path.join(appDir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    pkg.resolutions = {
      ...pkg.resolutions,
      '@backstage/plugin-signals-backend': '0.3.19',
      'better-sqlite3': '^13.2.0',
    };
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
    await run('yarn', ['install'], appDir, path.join(logs, 'app-install.log'), {
      env,
    });
  });
  await timed('build and pack our packages', () =>
    packPackages(runDir, tarballDir),
  );
  await timed('install guide (README) applied', () => {
    applyInstallGuide(appDir, {
      tarballs: tarballsIn(tarballDir),
      env,
      log,
      outputFile: path.join(logs, 'install-guide.log'),
    });
  });
  await timed('app build (frontend production build)', () =>
    run(
      'yarn',
      ['build'],
      path.join(appDir, 'packages/app'),
      path.join(logs, 'app-build.log'),
      {
        env,
      },
    ),
  );
}

/** Creates the app, installs our packages into it as the README says, builds it and starts it. */
export async function setUpFreshApp(): Promise<FreshApp> {
  const t0 = Date.now();
  const env = yarnEnv();
  // FRESH_APP_REUSE=<a run's folder>: start that run's app again (for debugging the tests).
  const reuse = process.env.FRESH_APP_REUSE;
  const runDir = reuse
    ? path.resolve(reuse)
    : path.join(WORK, 'runs', new Date().toISOString().replace(/[:.]/g, '-'));
  const appDir = path.join(runDir, 'app');
  if (!reuse) {
    pruneRuns(path.join(WORK, 'runs'));
    await createAndInstall(runDir, env);
  } else if (!existsSync(path.join(appDir, 'packages/app/dist/index.html'))) {
    throw new Error(`FRESH_APP_REUSE=${reuse}: no built app in ${appDir}`);
  }

  const servers: ServerProcess[] = [];
  const dataDir = path.join(runDir, 'data');
  rmSync(dataDir, { recursive: true, force: true }); // a reused run starts with an empty catalog repo
  const stop = async () => {
    await Promise.all(servers.map(s => s.stop()));
  };
  try {
    const started = await timed(
      'start (local servers and backend)',
      async () => {
        const { githubUrl, argocdUrl, ollamaUrl } = await startLocalServers(
          {
            githubDataDir: path.join(dataDir, 'github'),
            argocdToken: ARGOCD_TOKEN,
            simulateCatalog: 'local/catalog',
          },
          servers,
        );
        const port = await freePort();
        const appUrl = `http://127.0.0.1:${port}`;
        // The app's own app-config.yaml (with the README's keys) plus where things run here.
        const config = {
          app: { baseUrl: appUrl },
          backend: {
            baseUrl: appUrl,
            listen: { port, host: '127.0.0.1' },
            cors: { origin: appUrl },
          },
          integrations: {
            github: [
              {
                host: new URL(githubUrl).host,
                apiBaseUrl: `${githubUrl}/api/v3`,
                token: 'local-dev-token',
              },
            ],
          },
          catalog: {
            providers: {
              workloadCatalog: {
                // every second (merged over the README's minutes, hence minutes: 0)
                schedule: {
                  frequency: { minutes: 0, seconds: 1 },
                  timeout: { minutes: 0, seconds: 30 },
                  scope: 'local',
                },
              },
            },
          },
          workloadCatalog: {
            catalogRepo: { url: `${githubUrl}/local/catalog` },
            ollama: { baseUrl: ollamaUrl },
            status: {
              cacheTtlSeconds: 0,
              argocd: { baseUrl: argocdUrl, token: ARGOCD_TOKEN },
              ollama: { urlPattern: ollamaUrl },
            },
          },
        };
        const configFile = path.join(runDir, 'app-config.fresh-app.json');
        writeFileSync(configFile, JSON.stringify(config, null, 2));
        // What `yarn start` runs in the backend (backstage-cli package start), with the
        // production build of the app served by the app-backend plugin.
        const backend = new ServerProcess(
          'backend',
          'yarn',
          [
            'start',
            '--config',
            '../../app-config.yaml',
            '--config',
            configFile,
          ],
          {
            cwd: path.join(appDir, 'packages/backend'),
            env: {
              ...env,
              LOG_LEVEL: process.env.E2E_VERBOSE ? 'info' : 'warn',
            },
          },
        );
        servers.push(backend);
        await backend.waitForHttp(
          `${appUrl}/.backstage/health/v1/readiness`,
          180_000,
        );
        return { appUrl, githubUrl, argocdUrl, ollamaUrl };
      },
    );
    timings['total setup'] = Math.round((Date.now() - t0) / 100) / 10;
    const out = path.join(REPO_ROOT, 'test-results/fresh-app');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, 'timings.json'),
      `${JSON.stringify(timings, null, 2)}\n`,
    );
    return {
      appDir,
      ...started,
      catalogGitDir: path.join(dataDir, 'github', 'local', 'catalog.git'),
      timings,
      logs: () => servers.map(s => `--- ${s.name}\n${s.output()}`).join('\n'),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
