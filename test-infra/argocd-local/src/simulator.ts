/*
 * For the embedded default (`npm start`): what the ApplicationSet and Argo CD's controller
 * would do with the catalog repo, without a cluster. It polls the catalog repo through the
 * GitHub REST API (the local GitHub), keeps one Application per leaf
 * (`catalog/<serviceCatalog>/<environment>/<serviceName>.yaml`, named and labelled as
 * deploy/argocd/applicationset.yaml does), and walks each new or changed leaf through
 * OutOfSync, then Synced/Progressing, then Healthy. When an Ollama workload turns healthy,
 * it pulls its models into the local Ollama (ollama-local's control endpoint), as the
 * chart's model script would. Tests call tick() with their own clock; the CLI runs it on a
 * timer.
 */
import { parse } from 'yaml';
import { application, states, type ArgoApplication } from './applications';
import type { LocalArgoCD } from './server';

export interface SimulatorOptions {
  argo: LocalArgoCD;
  github: {
    /** REST base, e.g. http://127.0.0.1:7008/api/v3 */
    apiUrl: string;
    token: string;
    owner: string;
    repo: string;
    branch?: string;
  };
  /** Time from a new revision to Synced/Progressing. Default 3000 ms. */
  syncDelayMs?: number;
  /** Time from Synced/Progressing to Healthy. Default 5000 ms. */
  healthyDelayMs?: number;
  /** ollama-local's base URL: models of healthy Ollama workloads are pulled there. */
  ollamaControlUrl?: string;
  now?: () => number;
  log?: (line: string) => void;
}

/** The ApplicationSet's files generator path (deploy/argocd/applicationset.yaml). */
const LEAF_RE = /^catalog\/[^/]+\/[^/]+\/[^/]+\.yaml$/;

const WORKLOAD_KINDS: Record<string, 'StatefulSet' | 'Rollout'> = {
  STATEFUL_CONTAINER_LOAD: 'StatefulSet',
  BASIC_CONTAINER_ROLLOUT: 'Rollout',
};

interface Leaf {
  serviceName: string;
  serviceCatalog: string;
  environment: string;
  namespace: string;
  workloadType: string;
  models: string[];
}

interface Tracked {
  path: string;
  leafSha: string;
  leaf: Leaf;
  /** The commit the state is about. */
  revision: string;
  phase: 'outOfSync' | 'progressing' | 'healthy';
  since: number;
}

type Json = any;

function readLeaf(text: string): Leaf | undefined {
  let v: Json;
  try {
    v = parse(text);
  } catch {
    return undefined;
  }
  const str = (x: unknown) => (typeof x === 'string' && x ? x : undefined);
  const serviceName = str(v?.serviceName);
  const serviceCatalog = str(v?.serviceCatalog);
  const environment = str(v?.environment);
  const namespace = str(v?.namespace);
  const workloadType = str(v?.workloadType);
  // missingkey=error: the ApplicationSet generates nothing for such a file.
  if (
    !serviceName ||
    !serviceCatalog ||
    !environment ||
    !namespace ||
    !workloadType
  )
    return undefined;
  const models =
    workloadType === 'OLLAMA_INFERENCE_LOAD'
      ? [
          v.model,
          ...(Array.isArray(v.additionalModels) ? v.additionalModels : []),
        ].filter((m): m is string => typeof m === 'string')
      : [];
  return {
    serviceName,
    serviceCatalog,
    environment,
    namespace,
    workloadType,
    models,
  };
}

export class ApplicationSetSimulator {
  private readonly tracked = new Map<string, Tracked>();
  private readonly blobs = new Map<string, string>();
  private lastCommit?: string;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: SimulatorOptions) {}

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

  private appName(leaf: Leaf) {
    return `${leaf.serviceCatalog}.${leaf.environment}.${leaf.serviceName}`;
  }

  private app(t: Tracked, status: ArgoApplication['status']): ArgoApplication {
    const { apiUrl, owner, repo } = this.options.github;
    const repoURL = `${apiUrl.replace(/\/api\/v3\/?$/, '')}/${owner}/${repo}.git`;
    const a = application({
      name: this.appName(t.leaf),
      labels: {
        'app.kubernetes.io/part-of': 'workload-catalog',
        'workload-catalog.dev/service-name': t.leaf.serviceName,
        'workload-catalog.dev/catalog': t.leaf.serviceCatalog,
        'workload-catalog.dev/environment': t.leaf.environment,
        'workload-catalog.dev/workload-type': t.leaf.workloadType,
      },
      annotations: { 'workload-catalog.dev/leaf-path': t.path },
      project: 'workload-catalog',
      repoURL,
      path: `charts/${t.leaf.workloadType.toLowerCase().replace(/_/g, '-')}`,
      valueFiles: [`$catalog/${t.path}`],
      destination: { namespace: t.leaf.namespace },
      status,
    });
    return a;
  }

  private ctx(t: Tracked) {
    return {
      revision: t.revision,
      workload: t.leaf.serviceName,
      namespace: t.leaf.namespace,
      kind: WORKLOAD_KINDS[t.leaf.workloadType] ?? 'Deployment',
      at: new Date(this.now()),
    };
  }

  /** One poll: reads the catalog repo when it moved, then advances every workload's state. */
  async tick(): Promise<void> {
    const branch = this.options.github.branch ?? 'main';
    const head = await this.github(`/branches/${encodeURIComponent(branch)}`);
    const commit: string = head.commit.sha;
    if (commit !== this.lastCommit) {
      const tree = await this.github(
        `/git/trees/${head.commit.commit.tree.sha}?recursive=1`,
      );
      const seen = new Set<string>();
      for (const entry of tree.tree as Json[]) {
        if (entry.type !== 'blob' || !LEAF_RE.test(entry.path)) continue;
        let text = this.blobs.get(entry.sha);
        if (text === undefined) {
          const blob = await this.github(`/git/blobs/${entry.sha}`);
          text = Buffer.from(blob.content, 'base64').toString('utf8');
          this.blobs.set(entry.sha, text);
        }
        const leaf = readLeaf(text);
        if (!leaf) continue;
        const name = this.appName(leaf);
        seen.add(name);
        const old = this.tracked.get(name);
        if (old && old.leafSha === entry.sha) {
          // Nothing to apply: Argo CD compares the new commit and stays in its state.
          old.revision = commit;
          await this.write(old);
          continue;
        }
        const t: Tracked = {
          path: entry.path,
          leafSha: entry.sha,
          leaf,
          revision: commit,
          phase: 'outOfSync',
          since: this.now(),
        };
        this.tracked.set(name, t);
        await this.write(t);
        this.options.log?.(
          `${old ? 'changed' : 'new'} leaf ${entry.path}: Application ${name} OutOfSync at ${commit.slice(0, 7)}`,
        );
      }
      for (const name of [...this.tracked.keys()]) {
        if (!seen.has(name)) {
          this.tracked.delete(name);
          this.options.argo.remove(name);
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
    const ctx = this.ctx(t);
    let status;
    if (t.phase === 'outOfSync') status = states.outOfSync(ctx);
    else if (t.phase === 'progressing')
      status = states.progressing(
        ctx,
        t.leaf.models.length
          ? `Waiting for rollout to finish: pulling ${t.leaf.models.join(', ')}`
          : undefined,
      );
    else status = states.healthy(ctx);
    await this.options.argo.upsert(this.app(t, status));
  }

  private async pullModels(t: Tracked) {
    const url = this.options.ollamaControlUrl;
    if (!url || !t.leaf.models.length) return;
    for (const name of t.leaf.models) {
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
