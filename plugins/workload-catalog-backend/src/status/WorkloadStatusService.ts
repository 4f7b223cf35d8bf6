/*
 * The status of one workload, from pull request to "model ready": its pull request and
 * reviews (GitHub), its Argo CD Application's sync, health and revision (Argo CD's REST
 * API), and for an Ollama workload whether each declared model is on the server and in
 * memory (Ollama's /api/tags and /api/ps through the service URL). Each source may be
 * unconfigured or down: the answer says which part is unknown and why, and never fails as
 * a whole. Each source's answers are cached briefly (cacheTtlSeconds), and what a commit
 * contains is cached for good.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { Octokit } from '@octokit/rest';
import {
  argocdAppSelector,
  buildWorkloadStatus,
  readWorkloadEntity,
  type ArgoCdInfo,
  type ModelStatus,
  type PullRequestInfo,
  type ReplicaStatus,
  type SourceStatus,
  type WorkloadStatusFacts,
  type WorkloadStatusResponse,
} from '@workload-catalog/plugin-workload-catalog-common';
import type { GithubClientFactory } from '@workload-catalog/plugin-workload-catalog-node';
import { ArgoCdClient, SourceError } from './argocd';
import { TtlCache } from './cache';
import type { StatusConfig } from './config';
import { fileShaAt, readPullRequest, type RepoTarget } from './github';
import { readOllamaModels, type OllamaModels } from './ollama';
import { workloadServerUrl } from './serverUrl';
import { readTgiModel } from './tgi';

export interface CatalogRepoSettings {
  host: string;
  owner: string;
  repo: string;
  /** Web URL without .git or a trailing slash. */
  webUrl: string;
  baseBranch: string;
}

export interface WorkloadStatusServiceOptions {
  config: StatusConfig;
  /** The configured catalog repo: the only repository the status reads. */
  catalogRepo?: CatalogRepoSettings;
  githubClientFactory?: GithubClientFactory;
  logger: LoggerService;
  now?: () => number;
}

const messageOf = (error: unknown) =>
  error instanceof SourceError
    ? error.message
    : `${(error as Error)?.message ?? String(error)}`;

function githubMessage(error: unknown): string {
  const e = error as { status?: number; message?: string };
  if (e?.status === 401)
    return 'GitHub rejected the credentials (401); check integrations.github';
  if (e?.status === 403 || e?.status === 429)
    return `GitHub refused (${e.status}): ${e.message}`;
  if (e?.status === 404)
    return 'GitHub: the catalog repo was not found (404), or the credentials cannot see it';
  if (typeof e?.status === 'number')
    return `GitHub answered ${e.status}: ${e.message}`;
  return `GitHub: ${e?.message ?? String(error)}`;
}

export class WorkloadStatusService {
  private readonly pulls: TtlCache<PullRequestInfo | undefined>;
  private readonly apps: TtlCache<ArgoCdInfo | null>;
  private readonly ollama: TtlCache<OllamaModels>;
  private readonly tgi: TtlCache<ModelStatus>;
  private readonly replicas: TtlCache<ReplicaStatus | undefined>;
  /** Blob sha of a path at a commit: never changes. */
  private readonly files: TtlCache<string | null>;
  private readonly argocd?: ArgoCdClient;

  constructor(private readonly options: WorkloadStatusServiceOptions) {
    const { cacheTtlMs, timeoutMs } = options.config;
    const now = options.now;
    this.pulls = new TtlCache({ ttlMs: cacheTtlMs, now });
    this.apps = new TtlCache({ ttlMs: cacheTtlMs, now });
    this.ollama = new TtlCache({ ttlMs: cacheTtlMs, now });
    this.tgi = new TtlCache({ ttlMs: cacheTtlMs, now });
    this.replicas = new TtlCache({ ttlMs: cacheTtlMs, now });
    this.files = new TtlCache({
      ttlMs: Number.MAX_SAFE_INTEGER,
      errorTtlMs: 0,
      maxEntries: 5000,
      now,
    });
    if (options.config.argocd)
      this.argocd = new ArgoCdClient({
        ...options.config.argocd,
        timeoutMs,
        // A multi-source Application's revisions are per source: read the catalog repo's.
        catalogRepoUrl: options.catalogRepo?.webUrl,
      });
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  private octokit(): Promise<Octokit> {
    const { catalogRepo, githubClientFactory, logger } = this.options;
    return githubClientFactory!({
      host: catalogRepo!.host,
      owner: catalogRepo!.owner,
      repo: catalogRepo!.repo,
      logger,
    });
  }

  /**
   * This backend opened or changed the pull request of `branch` (the Configure tab): the
   * next status answer asks GitHub again instead of showing the cached one.
   */
  forgetPullRequest(branch: string): void {
    this.pulls.delete(branch);
  }

  /** The status of a workload entity; NotFoundError when the entity is not a workload. */
  async getStatus(entity: Entity): Promise<WorkloadStatusResponse> {
    const info = readWorkloadEntity(entity);
    const entityRef = stringifyEntityRef(entity);
    if (!info) {
      throw new NotFoundError(
        `${entityRef} is not a Workload Catalog workload (no workload-catalog.dev/leaf-path annotation)`,
      );
    }
    const workload: WorkloadStatusFacts['workload'] = {
      workloadType: info.workloadType ?? 'unknown',
      serviceName: info.serviceName ?? entity.metadata.name,
      serviceCatalog: info.serviceCatalog ?? 'unknown',
      environment: info.environment ?? 'unknown',
      namespace: info.namespace ?? 'unknown',
      leafPath: info.leafPath,
      source: info.source,
      models: info.models,
      ...(entity.metadata.annotations?.['backstage.io/view-url']
        ? { leafUrl: entity.metadata.annotations['backstage.io/view-url'] }
        : {}),
    };

    // GitHub: the pull request of the leaf's branch.
    const { catalogRepo } = this.options;
    const target: RepoTarget | undefined = catalogRepo && {
      owner: catalogRepo.owner,
      repo: catalogRepo.repo,
      webUrl: catalogRepo.webUrl,
    };
    let github: SourceStatus;
    let pullRequest: PullRequestInfo | undefined;
    const repoOfEntity = info.catalogRepo
      ?.replace(/([^/])\/+$|^\/+$/, '$1')
      .replace(/\.git$/, '');
    if (!catalogRepo || !this.options.githubClientFactory) {
      github = {
        state: 'unconfigured',
        message:
          'the catalog repo is not configured (workloadCatalog.catalogRepo.url)',
      };
    } else if (repoOfEntity && repoOfEntity !== catalogRepo.webUrl) {
      github = {
        state: 'unavailable',
        message: `the entity's leaf is in ${repoOfEntity}, not in the configured catalog repo ${catalogRepo.webUrl}`,
      };
    } else if (!info.pullRequestBranch) {
      github = {
        state: 'unavailable',
        message:
          'the entity has no workload-catalog.dev/pull-request-branch annotation',
      };
    } else {
      try {
        const branch = info.pullRequestBranch;
        pullRequest = await this.pulls.get(branch, async () =>
          readPullRequest(await this.octokit(), target!, branch),
        );
        github = { state: 'ok' };
      } catch (error) {
        github = { state: 'unavailable', message: githubMessage(error) };
        this.options.logger.warn(
          `Workload status of ${entityRef}: ${github.message}`,
        );
      }
    }

    // Argo CD: the Application with the leaf's labels.
    let argocd: SourceStatus;
    let app: ArgoCdInfo | null | undefined;
    if (!this.argocd) {
      argocd = {
        state: 'unconfigured',
        message:
          'not configured (workloadCatalog.status.argocd.baseUrl and token)',
      };
    } else if (!info.serviceName || !info.serviceCatalog || !info.environment) {
      argocd = {
        state: 'unavailable',
        message:
          'the entity does not name its service, catalog and environment',
      };
    } else {
      const selector = argocdAppSelector({
        serviceName: info.serviceName,
        serviceCatalog: info.serviceCatalog,
        environment: info.environment,
      });
      try {
        app = await this.apps.get(
          `${selector}|${info.argocdAppName ?? ''}`,
          () => this.argocd!.findApplication(selector, info.argocdAppName),
        );
        argocd = { state: 'ok' };
        if (app?.others?.length) {
          argocd.message = `more than one Application has the workload's labels (${[app.name, ...app.others].join(', ')}); showing ${app.name}`;
        }
      } catch (error) {
        argocd = { state: 'unavailable', message: messageOf(error) };
        this.options.logger.warn(
          `Workload status of ${entityRef}: ${argocd.message}`,
        );
      }
    }

    // The workload's replicas: its live Deployment/StatefulSet/Rollout through Argo CD.
    let replicas: ReplicaStatus | undefined;
    if (app?.workloadResource && this.argocd) {
      const resource = app.workloadResource;
      try {
        replicas = await this.replicas.get(
          `${app.namespace}/${app.name}|${resource.group}/${resource.kind}/${resource.namespace}/${resource.name}`,
          () => this.argocd!.workloadReplicas(app!, resource),
        );
      } catch (error) {
        argocd = {
          ...argocd,
          message: [argocd.message, `replicas not known: ${messageOf(error)}`]
            .filter(Boolean)
            .join('; '),
        };
        this.options.logger.warn(
          `Workload status of ${entityRef}: replicas not known: ${messageOf(error)}`,
        );
      }
    }

    // Whether Argo CD's revision carries the pull request's leaf.
    if (
      app?.revision &&
      github.state === 'ok' &&
      target &&
      (!pullRequest || pullRequest.state === 'merged')
    ) {
      const expected =
        pullRequest?.state === 'merged' && pullRequest.mergeCommitSha
          ? pullRequest.mergeCommitSha
          : undefined;
      try {
        if (expected && app.revision === expected) {
          app = { ...app, deploysPullRequest: true };
        } else {
          const [want, have] = await Promise.all([
            expected
              ? this.fileSha(target, info.leafPath, expected)
              : Promise.resolve(info.leafSha ?? null),
            this.fileSha(target, info.leafPath, app.revision),
          ]);
          if (want) app = { ...app, deploysPullRequest: want === have };
        }
      } catch (error) {
        this.options.logger.warn(
          `Workload status of ${entityRef}: could not compare ${app.revision} with the pull request: ${githubMessage(error)}`,
        );
      }
    }

    // What a model server's URL pattern may use (DNS labels only, checked there).
    const serverFields = {
      serviceName: info.serviceName,
      namespace: info.namespace,
      environment: info.environment,
      serviceCatalog: info.serviceCatalog,
    };

    // Ollama: the declared models on the workload's server.
    let ollama: SourceStatus;
    let models: ModelStatus[] | undefined;
    if (info.workloadType !== 'OLLAMA_INFERENCE_LOAD') {
      ollama = { state: 'not-applicable' };
    } else if (replicas?.desired === 0 && replicas.current === 0) {
      // scaled to zero by its autoscaler: no server to ask (and asking must not wake it)
      ollama = {
        state: 'not-applicable',
        message: 'scaled to zero: no replica to ask',
      };
    } else if (!this.options.config.ollama) {
      ollama = {
        state: 'unconfigured',
        message: 'turned off (workloadCatalog.status.ollama.enabled: false)',
      };
    } else {
      try {
        const url = workloadServerUrl(
          this.options.config.ollama.urlPattern,
          serverFields,
        );
        const result = await this.ollama.get(
          `${url}|${info.models.join(',')}`,
          () =>
            readOllamaModels(url, info.models, this.options.config.timeoutMs),
        );
        // The pins come from the entity, the lists from the (cached) server answer.
        models = result.models.map(m =>
          info.modelDigests[m.ref]
            ? { ...m, pinnedDigest: info.modelDigests[m.ref] }
            : m,
        );
        ollama = result.psProblem
          ? {
              state: 'ok',
              message: `which models are in memory is not known: ${result.psProblem}`,
            }
          : { state: 'ok' };
      } catch (error) {
        ollama = { state: 'unavailable', message: messageOf(error) };
      }
    }

    // Text Generation Inference: the model and revision the server runs, and its health.
    let tgi: SourceStatus | undefined;
    if (info.workloadType === 'ML_INFERENCE_LOAD' && info.models.length) {
      if (!this.options.config.tgi) {
        tgi = {
          state: 'unconfigured',
          message: 'turned off (workloadCatalog.status.tgi.enabled: false)',
        };
      } else {
        try {
          const url = workloadServerUrl(
            this.options.config.tgi.urlPattern,
            serverFields,
            'TGI',
          );
          const declared = info.models[0];
          models = [
            await this.tgi.get(`${url}|${declared}`, () =>
              readTgiModel(url, declared, this.options.config.timeoutMs),
            ),
          ];
          tgi = { state: 'ok' };
        } catch (error) {
          tgi = { state: 'unavailable', message: messageOf(error) };
        }
      }
    }

    return buildWorkloadStatus({
      entityRef,
      workload,
      sources: { github, argocd, ollama, ...(tgi ? { tgi } : {}) },
      ...(pullRequest ? { pullRequest } : {}),
      ...(app !== undefined ? { argocd: app } : {}),
      ...(models ? { models } : {}),
      ...(replicas ? { replicas } : {}),
      ...(info.leafErrors ? { leafErrors: info.leafErrors } : {}),
      generatedAt: new Date(this.now()).toISOString(),
    });
  }

  private fileSha(target: RepoTarget, path: string, ref: string) {
    return this.files.get(`${path}@${ref}`, async () =>
      fileShaAt(await this.octokit(), target, path, ref),
    );
  }
}
