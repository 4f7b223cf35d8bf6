/*
 * The processes of an end-to-end run, shared by the e2e stack (stack.ts) and the fresh-app
 * proof (fresh-app/freshApp.ts): a long-running server in its own process group, a free
 * port, and the three local stand-ins (test-infra/: GitHub, Argo CD, Ollama) started alike.
 * Only Node built-ins here: the form benchmark runs stack.ts with plain `node`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** What the local servers print once they listen (`listening on http://127.0.0.1:<port>`). */
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A long-running server, in its own process group (stop() ends its children too). */
export class ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  private out = '';
  constructor(
    name: string,
    cmd: string,
    args: string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv; verbose?: boolean } = {},
  ) {
    this.name = name;
    this.child = spawn(cmd, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const verbose = options.verbose ?? Boolean(process.env.E2E_VERBOSE);
    const onData = (d: Buffer) => {
      this.out += d;
      if (verbose) process.stderr.write(d);
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
  }

  /** Everything it printed so far. */
  output(): string {
    return this.out;
  }

  private failure(what: string): Error {
    return new Error(`${what}:\n${this.out.slice(-4000)}`);
  }

  /** Waits until its output matches `re` (it fails at once if the process exits). */
  async waitFor(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.out.match(re);
      if (m) return m;
      if (this.child.exitCode !== null)
        throw this.failure(
          `${this.name} exited (${this.child.exitCode}) before it was ready`,
        );
      if (Date.now() > deadline)
        throw this.failure(`${this.name} did not start within ${timeoutMs} ms`);
      await new Promise(r => setTimeout(r, 100));
    }
  }

  /** The address it printed once it listens. */
  async listeningUrl(timeoutMs = 30_000): Promise<string> {
    return (await this.waitFor(LISTENING, timeoutMs))[1];
  }

  /** Waits until `url` answers 2xx (it fails at once if the process exits). */
  async waitForHttp(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null)
        throw this.failure(`${this.name} exited (${this.child.exitCode})`);
      try {
        if ((await fetch(url)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw this.failure(`${url} did not answer within ${timeoutMs} ms`);
      await new Promise(r => setTimeout(r, 250));
    }
  }

  /** Ends the whole process group (`yarn start` runs the backend as a grandchild). */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const alive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!alive()) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return; // gone meanwhile
    }
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline)
      await new Promise(r => setTimeout(r, 200));
    if (alive()) process.kill(-pid, 'SIGKILL');
  }
}

export interface LocalServersOptions {
  /** Where the local GitHub keeps its repositories. */
  githubDataDir: string;
  /** The session token the local Argo CD accepts. */
  argocdToken: string;
  /** Milliseconds added to every local GitHub API call. */
  githubLatencyMs?: number;
  /**
   * Let the local Argo CD render Applications from this catalog repo of the local GitHub
   * (`owner/repo`) and report them as deployed, asking the local Ollama for their models.
   * Without it, tests script the Applications through its /_local endpoints.
   */
  simulateCatalog?: string;
  verbose?: boolean;
}

export interface LocalServers {
  githubUrl: string;
  argocdUrl: string;
  ollamaUrl: string;
  processes: ServerProcess[];
}

/**
 * Starts the local GitHub, Ollama and Argo CD (test-infra/) on free ports. The processes are
 * pushed to `started` as each starts, so the caller stops them whatever happens here.
 */
export async function startLocalServers(
  options: LocalServersOptions,
  started: ServerProcess[],
): Promise<LocalServers> {
  const server = (name: string, args: string[]) => {
    const proc = new ServerProcess(
      name,
      process.execPath,
      [
        path.join(REPO_ROOT, `test-infra/${name}/bin/${name}`),
        '--port',
        '0',
        '--quiet',
        ...args,
      ],
      { verbose: options.verbose },
    );
    started.push(proc);
    return proc;
  };
  const github = server('github-local', [
    '--data-dir',
    options.githubDataDir,
    ...(options.githubLatencyMs
      ? ['--latency', String(options.githubLatencyMs)]
      : []),
  ]);
  const ollama = server('ollama-local', []);
  const [githubUrl, ollamaUrl] = await Promise.all([
    github.listeningUrl(),
    ollama.listeningUrl(),
  ]);
  // The simulating Argo CD reads the catalog repo from the local GitHub and the models from
  // the local Ollama, so it starts once they listen.
  const argocd = server('argocd-local', [
    '--token',
    options.argocdToken,
    ...(options.simulateCatalog
      ? [
          '--simulate',
          options.simulateCatalog,
          '--github-api',
          `${githubUrl}/api/v3`,
          '--ollama',
          ollamaUrl,
        ]
      : []),
  ]);
  const argocdUrl = await argocd.listeningUrl();
  return {
    githubUrl,
    argocdUrl,
    ollamaUrl,
    processes: [github, ollama, argocd],
  };
}
