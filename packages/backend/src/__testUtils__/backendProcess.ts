/*
 * The real backend (src/index.ts with app-config.yaml and a test config) as a child process,
 * as src/backend.test.ts starts it: started, signed in as a guest, killed and started again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const BACKEND_DIR = path.resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * Polls until `fn` returns a value (readiness, not timing: the jest timeout bounds it).
 * `failFast` throws early when the awaited thing can no longer happen.
 */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  options: {
    intervalMs?: number;
    timeoutMs?: number;
    failFast?: () => void;
  } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 240_000);
  let lastError: unknown;
  for (;;) {
    options.failFast?.();
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `gave up waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
      );
    await new Promise(r => setTimeout(r, options.intervalMs ?? 250));
  }
}

export class BackendProcess {
  private child?: ChildProcess;
  private output: string[] = [];
  token = '';

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly configFiles: string[],
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && !this.child.killed;
  }

  /** The last lines the backend printed (for failure messages). */
  tail(lines = 60): string {
    return (
      this.output
        .join('')
        .split('\n')
        // eslint-disable-next-line no-control-regex
        .map(line => line.replace(/\x1b\[[0-9;]*m/g, ''))
        .filter(line => !line.includes('type="incomingRequest"'))
        .slice(-lines)
        .join('\n')
    );
  }

  /**
   * Starts the backend and waits until it is ready and a guest is signed in. A backend
   * that exits while starting is started again, up to `restarts` times, as a supervisor
   * (Kubernetes) would; `restarted` counts how often.
   */
  async start(options: { restarts?: number } = {}): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.startOnce();
        return;
      } catch (error) {
        const exited = this.child?.exitCode !== null;
        if (!exited || attempt >= (options.restarts ?? 0)) throw error;
        this.restarted++;
      }
    }
  }

  restarted = 0;

  private async startOnce(): Promise<void> {
    this.output = [];
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        path.join(ROOT, 'app-config.yaml'),
        ...this.configFiles.flatMap(f => ['--config', f]),
      ],
      {
        cwd: BACKEND_DIR,
        env: { ...process.env, NODE_ENV: 'development' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    child.stdout!.on('data', d => this.output.push(String(d)));
    child.stderr!.on('data', d => this.output.push(String(d)));
    const failFast = () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `backend ${this.name} exited (${child.exitCode ?? child.signalCode}) while starting:\n${this.tail()}`,
        );
    };
    const withOutput = async <T>(p: Promise<T>) =>
      p.catch(error => {
        throw new Error(`${(error as Error).message}\n${this.tail()}`);
      });
    await withOutput(
      until(
        `backend ${this.name} to be ready`,
        async () => {
          const res = await fetch(
            `${this.baseUrl}/.backstage/health/v1/readiness`,
          );
          return res.ok ? true : undefined;
        },
        { failFast },
      ),
    );
    const session = await withOutput(
      until(
        `guest sign-in on ${this.name}`,
        async () => {
          const res = await fetch(`${this.baseUrl}/api/auth/guest/refresh`, {
            headers: { 'x-requested-with': 'XMLHttpRequest' },
          });
          return res.ok ? res.json() : undefined;
        },
        { failFast },
      ),
    );
    this.token = session.backstageIdentity.token;
  }

  /** Kills the process (SIGKILL: no shutdown hooks, as when a node or pod dies). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise(resolve => {
      child.once('exit', resolve);
      child.kill(signal);
    });
  }

  /** Stops the process: SIGTERM, and SIGKILL if it has not exited after 20 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await new Promise(resolve => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    clearTimeout(timer);
  }

  async api(method: string, route: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok)
      throw new Error(
        `${this.name}: ${method} ${route}: ${res.status} ${text}`,
      );
    return text ? JSON.parse(text) : undefined;
  }
}
