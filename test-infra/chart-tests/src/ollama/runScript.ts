/*
 * Runs the Ollama chart's model script (files/ollama-models.sh, as rendered into the
 * ConfigMap) against the fake `ollama` binary, the way the init container and the probes
 * run it: same config files, same environment variables.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Manifest } from '../helm';

/** The stand-in ollama binary (this package runs from source only). */
// eslint-disable-next-line no-restricted-syntax
const FAKE_OLLAMA = path.join(__dirname, 'fake-ollama.cjs');

export interface FakeState {
  /** Models already on the model volume: name -> digest. */
  local?: Record<string, string>;
  /** What the registry serves: name -> digest (and size in bytes). */
  registry?: Record<string, { digest: string; size?: number }>;
  /** The server exits at once with an error. */
  crash?: boolean;
  startDelayMs?: number;
  /** Each pull answers after this long (so that another pod has to wait for it). */
  pullDelayMs?: number;
  /** Each load answers after this long. */
  loadDelayMs?: number;
  /** Names of embedding models (besides names with "embed"). */
  embedding?: string[];
  /** Loads of these models fail with this error. */
  loadFails?: Record<string, string>;
}

export interface ScriptRun {
  code: number | null;
  output: string;
  /** Requests the server received, in order. */
  requests: { method: string; path: string; body?: any; httpVersion: string }[];
  /** True when the server got SIGTERM (the script stopped it). */
  stopped: boolean;
  serverAlive: boolean;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The ConfigMap's files in a fresh folder (the init container's /opt/workload-catalog). */
export function writeConfig(configMap: Manifest): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-ollama-config-'));
  for (const [key, value] of Object.entries<string>(configMap.data ?? {})) {
    fs.writeFileSync(path.join(dir, key), value);
  }
  return dir;
}

export async function runModelScript(
  configDir: string,
  command: 'prepare' | 'ready' | 'load' | 'keep-loaded',
  state: FakeState,
  options: {
    env?: Record<string, string>;
    port?: number;
    serverAlreadyRunning?: boolean;
    /** The model volume (OLLAMA_MODELS); a fresh folder unless given (shared by two runs). */
    modelsDir?: string;
  } = {},
): Promise<ScriptRun> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-ollama-run-'));
  const bin = path.join(work, 'bin');
  fs.mkdirSync(bin);
  const fake = FAKE_OLLAMA;
  fs.writeFileSync(
    path.join(bin, 'ollama'),
    `#!/bin/sh\nexec "${process.execPath}" "${fake}" "$@"\n`,
    { mode: 0o755 },
  );
  const stateFile = path.join(work, 'state.json');
  fs.writeFileSync(stateFile, JSON.stringify(state));
  const logFile = path.join(work, 'requests.log');
  const pidFile = path.join(work, 'server.pid');
  const port = options.port ?? (await freePort());
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: work,
    OLLAMA_HOST: `127.0.0.1:${port}`,
    OLLAMA_MODELS: options.modelsDir ?? path.join(work, 'models'),
    WC_OLLAMA_CONFIG: configDir,
    WC_OLLAMA_SERVER_LOG: path.join(work, 'serve.log'),
    FAKE_OLLAMA_STATE: stateFile,
    FAKE_OLLAMA_LOG: logFile,
    FAKE_OLLAMA_PID: pidFile,
    ...options.env,
  };
  const code = await new Promise<{ code: number | null; output: string }>(
    resolve => {
      const child = spawn(
        'bash',
        [path.join(configDir, 'ollama-models.sh'), command],
        { env },
      );
      let output = '';
      child.stdout.on('data', d => (output += d));
      child.stderr.on('data', d => (output += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', c => {
        clearTimeout(timer);
        resolve({ code: c, output });
      });
    },
  );
  const requests = fs.existsSync(logFile)
    ? fs
        .readFileSync(logFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(line => JSON.parse(line))
    : [];
  const pid = fs.existsSync(pidFile)
    ? Number(fs.readFileSync(pidFile, 'utf8'))
    : undefined;
  return {
    ...code,
    requests: requests.filter(r => r.method),
    stopped: requests.some(r => r.signal === 'SIGTERM'),
    serverAlive: pid !== undefined && alive(pid),
  };
}

/** Starts the fake server alone (for the readiness probe, which expects a running server). */
export async function startFakeServer(
  state: FakeState,
  options: { modelsDir?: string; env?: Record<string, string> } = {},
): Promise<{ port: number; stop: () => void; url: string }> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-ollama-srv-'));
  const stateFile = path.join(work, 'state.json');
  fs.writeFileSync(stateFile, JSON.stringify(state));
  const port = await freePort();
  const child = spawn(process.execPath, [FAKE_OLLAMA, 'serve'], {
    env: {
      ...process.env,
      OLLAMA_HOST: `127.0.0.1:${port}`,
      FAKE_OLLAMA_STATE: stateFile,
      FAKE_OLLAMA_LOG: path.join(work, 'requests.log'),
      FAKE_OLLAMA_PID: path.join(work, 'server.pid'),
      OLLAMA_MODELS: options.modelsDir ?? path.join(work, 'models'),
      ...options.env,
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise(r => setTimeout(r, 50));
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () => child.kill('SIGTERM'),
  };
}
