/*
 * The real helm binary (v4, see docs in scripts/toolchain.sh): found on PATH or in the
 * toolchain cache, installed through ensure_helm when missing. Calls run in parallel (one
 * per core) because each `helm template` is a process of about 50 ms.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './paths';

let cached: string | undefined;

function cacheDir(): string {
  const base =
    process.env.WORKLOAD_CATALOG_CACHE ??
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
      'workload-catalog',
    );
  return path.join(base, 'bin');
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file)) return file;
  }
  return undefined;
}

/** Path of the helm binary, installing it (scripts/toolchain.sh ensure_helm) when missing. */
export function helmBinary(): string {
  if (cached) return cached;
  const fromCache = path.join(cacheDir(), 'helm');
  let found =
    process.env.HELM_BIN ??
    (fs.existsSync(fromCache) ? fromCache : onPath('helm'));
  if (!found) {
    found = execFileSync(
      'bash',
      [
        '-c',
        'source scripts/toolchain.sh >&2 && ensure_helm >&2 && command -v helm',
      ],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    ).trim();
  }
  cached = found;
  return found;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm with the given arguments (and optional stdin); never throws on a failing exit code. */
export function helm(args: string[], input?: string): Promise<HelmResult> {
  return new Promise(resolve => {
    const child = execFile(
      helmBinary(),
      args,
      {
        cwd: repoRoot,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, HELM_LOG_LEVEL: 'error' },
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error)
          code =
            typeof (error as any).code === 'number' ? (error as any).code : 1;
        resolve({ code, stdout, stderr: stripNoise(stderr) });
      },
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Helm 4 logs an INFO line for the symlinked library chart; it is not an error. */
function stripNoise(stderr: string): string {
  return stderr
    .split('\n')
    .filter(line => !/level=INFO msg="found symbolic link in path/.test(line))
    .join('\n')
    .trim();
}

/** Runs tasks with at most `limit` in flight (default: one per core). */
export async function pool<T, R>(
  items: T[],
  task: (item: T, index: number) => Promise<R>,
  limit = Math.max(2, os.cpus().length),
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

export type Manifest = Record<string, any>;

export interface Rendered extends HelmResult {
  docs: Manifest[];
}

/**
 * `helm template <release> <chart> -f <values>`: the values are a file path or a value
 * (a leaf object), which is passed on stdin as JSON. `setJson` sets further values
 * (e.g. platform values) with --set-json.
 */
export async function template(
  chartDir: string,
  values: string | Record<string, unknown>,
  options: { release?: string; setJson?: Record<string, unknown> } = {},
): Promise<Rendered> {
  const args = ['template', options.release ?? 'release', chartDir];
  let input: string | undefined;
  if (typeof values === 'string') args.push('-f', values);
  else {
    args.push('-f', '-');
    // JSON is YAML that Go's YAML 1.1 parser and the CLI's YAML 1.2 parser read the same way
    // (unquoted on/off/yes/no are booleans only in YAML 1.1; see parity.test.ts).
    input = JSON.stringify(values);
  }
  for (const [key, value] of Object.entries(options.setJson ?? {})) {
    args.push('--set-json', `${key}=${JSON.stringify(value)}`);
  }
  const result = await helm(args, input);
  return {
    ...result,
    docs: result.code === 0 ? parseManifests(result.stdout) : [],
  };
}

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map(doc => {
      if (doc.errors.length)
        throw new Error(`helm printed invalid YAML: ${doc.errors[0].message}`);
      return doc.toJS();
    })
    .filter((doc): doc is Manifest => doc !== null && typeof doc === 'object');
}
