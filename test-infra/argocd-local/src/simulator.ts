/*
 * For the embedded default (`npm start`) and tests: what the ApplicationSet of
 * deploy/argocd and Argo CD's controller do with the catalog repo, without a cluster. It
 * polls the catalog repo through the GitHub REST API (the local GitHub), renders the
 * Applications from deploy/argocd/applicationset.yaml itself (its git files generator over
 * the repo's files, its Go template with text/template + sprig and missingkey=error; see
 * appset.ts), and walks each new or changed Application through OutOfSync, then
 * Synced/Progressing, then Healthy, with the status Argo CD writes for that shape (a
 * multi-source Application gets one revision per source). When an Ollama workload turns
 * healthy, it pulls its models into the local Ollama (ollama-local's control endpoint), as
 * the chart's model script would. Tests call tick() with their own clock; the CLI runs it on
 * a timer.
 */
import { parse } from 'yaml';
import {
  sourcesContext,
  states,
  type ApplicationStatus,
  type ArgoApplication,
  type StateContext,
} from './applications';
import {
  loadApplicationSet,
  matchesFileGlob,
  renderApplications,
  type ApplicationSetDefinition,
} from './appset';
import type { LocalArgoCD } from './server';

export interface SimulatorOptions {
  argo: LocalArgoCD;
  github: {
    /** REST base, e.g. http://127.0.0.1:7008/api/v3 */
    apiUrl: string;
    token: string;
    owner: string;
    repo: string;
    /** Default: the ApplicationSet generator's revision (deploy/argocd: main). */
    branch?: string;
  };
  /** The ApplicationSet file. Default deploy/argocd/applicationset.yaml. */
  applicationSetFile?: string;
  /**
   * The commit the chart repo's targetRevision resolves to (the other sources of a
   * multi-source Application). Default: a fixed sha.
   */
  chartRevision?: string;
  /** Time from a new revision to Synced/Progressing. Default 3000 ms. */
  syncDelayMs?: number;
  /** Time from Synced/Progressing to Healthy. Default 5000 ms. */
  healthyDelayMs?: number;
  /** ollama-local's base URL: models of healthy Ollama workloads are pulled there. */
  ollamaControlUrl?: string;
  now?: () => number;
  log?: (line: string) => void;
}

/** Default revision of the chart repo's source (no such repository is read here). */
export const DEFAULT_CHART_REVISION =
  'c4a47f0c4a47f0c4a47f0c4a47f0c4a47f0c4a47';

const WORKLOAD_KINDS: Record<string, 'StatefulSet' | 'Rollout'> = {
  STATEFUL_CONTAINER_LOAD: 'StatefulSet',
  BASIC_CONTAINER_ROLLOUT: 'Rollout',
};

interface Tracked {
  path: string;
  /** The rendered Application (no status). */
  app: ArgoApplication;
  /** What the Application's manifests come from: the spec and the leaf's blob. */
  fingerprint: string;
  models: string[];
  /** The catalog commit the state (operation, history) is about. */
  revision: string;
  /** The catalog commit Argo CD last compared with (moves with every commit). */
  comparedRevision: string;
  phase: 'outOfSync' | 'progressing' | 'healthy';
  since: number;
}

type Json = any;

const normalizeRepo = (url: string) =>
  url
    .trim()
    // eslint-disable-next-line redos/no-vulnerable -- test infrastructure: a local stand-in server whose input comes from the tests
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();

function leafModels(text: string): string[] {
  let v: Json;
  try {
    v = parse(text);
  } catch {
    return [];
  }
  if (v?.workloadType !== 'OLLAMA_INFERENCE_LOAD') return [];
  return [
    v.model,
    ...(Array.isArray(v.additionalModels) ? v.additionalModels : []),
  ].filter((m): m is string => typeof m === 'string');
}

export class ApplicationSetSimulator {
  private readonly tracked = new Map<string, Tracked>();
  private readonly blobs = new Map<string, string>();
  private readonly appSet: ApplicationSetDefinition;
  /** Why files generated no Application at the last commit read (path -> message). */
  readonly renderErrors = new Map<string, string>();
  private lastCommit?: string;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: SimulatorOptions) {
    this.appSet = loadApplicationSet({
      file: options.applicationSetFile,
      catalogRepoURL: this.catalogRepoURL(),
    });
  }

  /** The catalog repo's clone URL (what the ApplicationSet's generator and `ref` source name). */
  catalogRepoURL(): string {
    const { apiUrl, owner, repo } = this.options.github;
    return `${apiUrl.replace(/\/api\/v3\/?$/, '')}/${owner}/${repo}.git`;
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  private async github(path: string): Promise<Json> {
    const { apiUrl, token, owner, repo } = this.options.github;
    const res = await fetch(`${apiUrl}/repos/${owner}/${repo}${path}`, {
      headers: {
        authorization: `token ${token}`,
        accept: 'application/vnd.github+json',
      },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`GitHub answered ${res.status} to ${path}`);
    return res.json();
  }

  /** The state context: each source's revision, as the controller resolves them. */
  private ctx(t: Tracked, revision = t.revision): StateContext {
    const catalog = normalizeRepo(this.catalogRepoURL());
    const chart = this.options.chartRevision ?? DEFAULT_CHART_REVISION;
    const labels = t.app.metadata.labels ?? {};
    const base: StateContext = {
      revision,
      workload: labels['workload-catalog.dev/service-name'],
      namespace: t.app.spec?.destination?.namespace,
      kind:
        WORKLOAD_KINDS[labels['workload-catalog.dev/workload-type']] ??
        'Deployment',
      at: new Date(this.now()),
    };
    if (!t.app.spec?.sources?.length) return base;
    return {
      ...base,
      ...sourcesContext(t.app, source =>
        normalizeRepo(String(source?.repoURL ?? '')) === catalog
          ? revision
          : chart,
      ),
    };
  }

  /** One poll: reads the catalog repo when it moved, then advances every workload's state. */
  async tick(): Promise<void> {
    const branch = this.options.github.branch ?? this.appSet.git.revision;
    const head = await this.github(`/branches/${encodeURIComponent(branch)}`);
    const commit: string = head.commit.sha;
    if (commit !== this.lastCommit) {
      const tree = await this.github(
        `/git/trees/${head.commit.commit.tree.sha}?recursive=1`,
      );
      const files: Array<{ path: string; content: string; sha: string }> = [];
      for (const entry of tree.tree as Json[]) {
        if (
          entry.type !== 'blob' ||
          !this.appSet.git.files.some(g => matchesFileGlob(g, entry.path))
        )
          continue;
        let text = this.blobs.get(entry.sha);
        if (text === undefined) {
          const blob = await this.github(`/git/blobs/${entry.sha}`);
          text = Buffer.from(blob.content, 'base64').toString('utf8');
          this.blobs.set(entry.sha, text);
        }
        files.push({ path: entry.path, content: text, sha: entry.sha });
      }
      const results = await renderApplications(
        this.appSet,
        files.map(({ path, content }) => ({ path, content })),
      );
      this.renderErrors.clear();
      const seen = new Set<string>();
      for (const r of results) {
        if ('error' in r) {
          this.renderErrors.set(r.path, r.error);
          this.options.log?.(
            `ApplicationSet ${this.appSet.name}: ${r.path} generates no Application: ${r.error}`,
          );
          continue;
        }
        const file = files.find(f => f.path === r.path)!;
        const name = r.application.metadata.name;
        seen.add(name);
        const fingerprint = `${JSON.stringify(r.application.spec)}|${file.sha}`;
        const old = this.tracked.get(name);
        if (old && old.fingerprint === fingerprint) {
          // Nothing to apply: Argo CD compares the new commit and stays in its state.
          old.comparedRevision = commit;
          old.app = r.application;
          await this.write(old);
          continue;
        }
        const t: Tracked = {
          path: r.path,
          app: r.application,
          fingerprint,
          models: leafModels(file.content),
          revision: commit,
          comparedRevision: commit,
          phase: 'outOfSync',
          since: this.now(),
        };
        this.tracked.set(name, t);
        await this.write(t);
        this.options.log?.(
          `${old ? 'changed' : 'new'} leaf ${r.path}: Application ${name} OutOfSync at ${commit.slice(0, 7)}`,
        );
      }
      for (const name of [...this.tracked.keys()]) {
        if (!seen.has(name)) {
          this.tracked.delete(name);
          this.options.argo.remove(name, { namespace: this.appSet.namespace });
          this.options.log?.(`leaf removed: Application ${name} deleted`);
        }
      }
      this.lastCommit = commit;
    }
    const syncDelay = this.options.syncDelayMs ?? 3000;
    const healthyDelay = this.options.healthyDelayMs ?? 5000;
    for (const [name, t] of this.tracked) {
      const age = this.now() - t.since;
      if (t.phase === 'outOfSync' && age >= syncDelay) {
        t.phase = 'progressing';
        t.since = this.now();
        t.revision = t.comparedRevision;
        await this.write(t);
        this.options.log?.(`Application ${name} Synced, Progressing`);
      } else if (t.phase === 'progressing' && age >= healthyDelay) {
        await this.pullModels(t);
        t.phase = 'healthy';
        t.since = this.now();
        await this.write(t);
        this.options.log?.(`Application ${name} Healthy`);
      }
    }
  }

  private async write(t: Tracked) {
    let status: ApplicationStatus;
    if (t.phase === 'outOfSync') {
      status = states.outOfSync(this.ctx(t, t.comparedRevision));
    } else {
      const ctx = this.ctx(t);
      status =
        t.phase === 'progressing'
          ? states.progressing(
              ctx,
              t.models.length
                ? `Waiting for rollout to finish: pulling ${t.models.join(', ')}`
                : undefined,
            )
          : states.healthy(ctx);
      // A later commit that does not change the manifests: compared (and Synced) at that
      // commit, while the operation and history stay at the deployed one.
      if (t.comparedRevision !== t.revision)
        status.sync = {
          ...states.healthy(this.ctx(t, t.comparedRevision)).sync!,
        };
    }
    await this.options.argo.upsert({ ...t.app, status });
  }

  private async pullModels(t: Tracked) {
    const url = this.options.ollamaControlUrl;
    if (!url || !t.models.length) return;
    for (const name of t.models) {
      try {
        await fetch(`${url}/_local/pull`, {
          method: 'POST',
          body: JSON.stringify({ name }),
          signal: AbortSignal.timeout(5000),
        });
      } catch (error) {
        this.options.log?.(
          `could not pull ${name} into ${url}: ${(error as Error).message}`,
        );
      }
    }
  }

  /** Polls every `intervalMs` until stop(); a failed poll is logged and retried. */
  start(intervalMs = 2000): void {
    this.stopped = false;
    const loop = async () => {
      try {
        await this.tick();
      } catch (error) {
        this.options.log?.(`poll failed: ${(error as Error).message}`);
      }
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = loop();
      }, intervalMs);
    };
    this.running = loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
