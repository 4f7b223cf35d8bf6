/*
 * The ApplicationSet of deploy/argocd, rendered as Argo CD's ApplicationSet controller
 * renders it: its git files generator over the catalog repo's files, and its Go template
 * rendered by a small Go program (go/appset-render) with text/template, sprig and the
 * ApplicationSet's goTemplateOptions (missingkey=error), as applicationset/utils does.
 * argocd-local never holds its own idea of what the ApplicationSet produces.
 *
 * The Go program is built once per source version into the cache directory
 * ($WORKLOAD_CATALOG_CACHE, else ~/.cache/workload-catalog) with Debian's golang-go and
 * sprig (`ensure_go` in scripts/toolchain.sh installs them).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { ArgoApplication } from './applications';

type Json = any;

/** deploy/argocd/applicationset.yaml of this repository. */
export const DEFAULT_APPLICATIONSET_FILE = path.resolve(
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../../../deploy/argocd/applicationset.yaml',
);

// eslint-disable-next-line no-restricted-syntax
const RENDER_SOURCE = path.resolve(__dirname, '../go/appset-render/main.go');

/** An ApplicationSet that argocd-local cannot render; the message says why. */
export class ApplicationSetError extends Error {
  name = 'ApplicationSetError';
}

/** What argocd-local reads of an ApplicationSet (argoproj.io/v1alpha1). */
export interface ApplicationSetDefinition {
  name: string;
  namespace: string;
  uid: string;
  /** The git files generator. */
  git: { repoURL: string; revision: string; files: string[] };
  goTemplateOptions: string[];
  /** spec.template, with the catalog repo's URL replaced when asked. */
  template: Json;
}

/**
 * Reads an ApplicationSet file. Only what deploy/argocd uses is supported (one git files
 * generator, goTemplate: true); anything else is refused with a message naming the field.
 * `catalogRepoURL` replaces the generator's repoURL everywhere in the template, as an
 * installation points the ApplicationSet at its own catalog repo.
 */
export function loadApplicationSet(
  options: { file?: string; catalogRepoURL?: string } = {},
): ApplicationSetDefinition {
  const file = options.file ?? DEFAULT_APPLICATIONSET_FILE;
  const doc = parse(fs.readFileSync(file, 'utf8'));
  const where = (field: string) => `${path.basename(file)}: ${field}`;
  if (doc?.kind !== 'ApplicationSet')
    throw new ApplicationSetError(
      `${where('kind')} must be ApplicationSet; got ${JSON.stringify(doc?.kind)}`,
    );
  if (doc.spec?.goTemplate !== true)
    throw new ApplicationSetError(
      `${where('spec.goTemplate')} must be true (argocd-local renders Go templates only)`,
    );
  const generators: Json[] = doc.spec?.generators ?? [];
  if (generators.length !== 1 || !generators[0]?.git?.files)
    throw new ApplicationSetError(
      `${where('spec.generators')} must be one git files generator; got ${generators.map(g => Object.keys(g ?? {}).join('+')).join(', ') || 'none'}`,
    );
  const git = generators[0].git;
  if (typeof git.repoURL !== 'string' || !git.repoURL)
    throw new ApplicationSetError(
      `${where('spec.generators[0].git.repoURL')} must be a URL`,
    );
  const files: string[] = (git.files as Json[]).map((f, i) => {
    if (typeof f?.path !== 'string' || f.exclude)
      throw new ApplicationSetError(
        `${where(`spec.generators[0].git.files[${i}]`)} must be {path: GLOB} (exclude is not supported)`,
      );
    return f.path;
  });
  let template = doc.spec.template;
  if (!template?.metadata || !template?.spec)
    throw new ApplicationSetError(
      `${where('spec.template')} must have metadata and spec`,
    );
  if (options.catalogRepoURL) {
    const from = git.repoURL;
    const to = options.catalogRepoURL;
    const swap = (v: Json): Json => {
      if (v === from) return to;
      if (Array.isArray(v)) return v.map(swap);
      if (v && typeof v === 'object')
        return Object.fromEntries(
          Object.entries(v).map(([k, x]) => [k, swap(x)]),
        );
      return v;
    };
    template = swap(template);
  }
  const name = doc.metadata?.name ?? 'applicationset';
  const namespace = doc.metadata?.namespace ?? 'argocd';
  return {
    name,
    namespace,
    uid: uuidFrom(`${namespace}/${name}`),
    git: {
      repoURL: options.catalogRepoURL ?? git.repoURL,
      revision: git.revision ?? 'HEAD',
      files,
    },
    goTemplateOptions: doc.spec.goTemplateOptions ?? [],
    template,
  };
}

/** A stable UUID-shaped id (the ApplicationSet's uid in ownerReferences). */
function uuidFrom(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Whether a repository path matches a files generator glob: `*` and `?` do not cross `/`,
 * `**` matches any number of directories (doublestar, as Argo CD's new git file globbing).
 */
export function matchesFileGlob(glob: string, file: string): boolean {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(file);
}

function cacheDir(): string {
  return (
    process.env.WORKLOAD_CATALOG_CACHE ??
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
      'workload-catalog',
    )
  );
}

let renderBinary: Promise<string> | undefined;

function run(
  cmd: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stdout, stderr }));
        else resolve({ stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

/** The path of the built renderer, building it on first use (a few seconds, once). */
export function buildRenderer(): Promise<string> {
  renderBinary ??= (async () => {
    const source = fs.readFileSync(RENDER_SOURCE);
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
    const dir = path.join(cacheDir(), 'argocd-local');
    const binary = path.join(dir, `appset-render-${hash}`);
    if (fs.existsSync(binary)) return binary;
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${binary}.${process.pid}.tmp`;
    try {
      await run('go', ['build', '-o', tmp, RENDER_SOURCE], {
        cwd: path.dirname(RENDER_SOURCE),
        env: {
          ...process.env,
          GO111MODULE: 'off',
          GOPATH: '/usr/share/gocode',
          GOFLAGS: '',
          GOCACHE: path.join(dir, 'go-build'),
        },
      });
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      renderBinary = undefined;
      if (e.code === 'ENOENT')
        throw new ApplicationSetError(
          'argocd-local renders the ApplicationSet with Go (text/template and sprig, as Argo CD does), and `go` is not on PATH: run `source scripts/toolchain.sh && ensure_go` (Debian: golang-go, golang-github-masterminds-sprig-dev, golang-gopkg-yaml.v2-dev)',
        );
      throw new ApplicationSetError(
        `could not build argocd-local's ApplicationSet renderer (${RENDER_SOURCE}): ${e.stderr?.trim() || e.message}`,
      );
    }
    fs.renameSync(tmp, binary);
    return binary;
  })();
  return renderBinary;
}

/** One generated Application, or why a file generated none. */
export type RenderResult =
  | { path: string; application: ArgoApplication }
  | { path: string; error: string };

/**
 * The Applications the ApplicationSet generates from these files of its repo (files that
 * do not match the generator's globs are ignored, as the generator never sees them).
 */
export async function renderApplications(
  appSet: ApplicationSetDefinition,
  files: Array<{ path: string; content: string }>,
): Promise<RenderResult[]> {
  const matching = files
    .filter(f => appSet.git.files.some(g => matchesFileGlob(g, f.path)))
    .sort((a, b) => a.path.localeCompare(b.path));
  if (!matching.length) return [];
  const binary = await buildRenderer();
  const { stdout } = await run(binary, [], {
    input: JSON.stringify({
      template: appSet.template,
      goTemplateOptions: appSet.goTemplateOptions,
      files: matching,
    }),
  });
  const results: Array<{ path: string; application?: Json; error?: string }> =
    JSON.parse(stdout).results;
  const out: RenderResult[] = results.map(r =>
    r.error !== undefined
      ? { path: r.path, error: r.error }
      : { path: r.path, application: toApplication(appSet, r.application) },
  );
  // The controller refuses to generate two Applications of one name.
  const byName = new Map<string, number>();
  for (const r of out)
    if ('application' in r) {
      const n = r.application.metadata.name;
      byName.set(n, (byName.get(n) ?? 0) + 1);
    }
  return out.map(r =>
    'application' in r && (byName.get(r.application.metadata.name) ?? 0) > 1
      ? {
          path: r.path,
          error: `ApplicationSet ${appSet.name} contains applications with duplicate name: ${r.application.metadata.name}`,
        }
      : r,
  );
}

/** The Application object the controller creates from a rendered template. */
function toApplication(
  appSet: ApplicationSetDefinition,
  rendered: Json,
): ArgoApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      ...rendered.metadata,
      namespace: appSet.namespace,
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'ApplicationSet',
          name: appSet.name,
          uid: appSet.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: rendered.spec,
  };
}
