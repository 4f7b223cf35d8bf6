/*
 * The entity provider: on a schedule, reads the catalog repo and replaces its entities with
 * one Component per leaf (plus one per workload proposed in an open pull request) and one
 * System per serviceCatalog. Invalid leaves are logged with their path and problems and
 * kept as entities that carry the problems (see leafEntity.ts). When GitHub fails, the
 * entities stay as they were and the failure is logged.
 */
import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { GithubClientFactory } from '@workload-catalog/plugin-workload-catalog-node';
import { CatalogReader } from './catalogReader';
import {
  leafToEntity,
  systemEntity,
  type CatalogRepoInfo,
  type EntityOptions,
} from './leafEntity';
import { leafPathMatcher } from './leafPathMatcher';

export interface WorkloadCatalogProviderOptions {
  repo: CatalogRepoInfo & { host: string };
  entity: EntityOptions;
  includeProposed: boolean;
  systems: boolean;
  githubClientFactory: GithubClientFactory;
  logger: LoggerService;
  /** Runs refresh() on the schedule; without it, call refresh() yourself. */
  taskRunner?: SchedulerServiceTaskRunner;
}

export interface RefreshResult {
  /** Entities given to the catalog (undefined when nothing changed since the last run). */
  entities?: Entity[];
  /** Leaf paths with problems, and the problems. */
  invalid: Array<{ path: string; messages: string[] }>;
  /** Other problems (e.g. a pull request without its leaf). */
  problems: string[];
}

export class WorkloadCatalogEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly reader: CatalogReader;
  private readonly pathFields: ReturnType<typeof leafPathMatcher>;
  private lastFingerprint?: string;
  /**
   * Entities by what they are made of (path, blob, source, ref, open pull request): a leaf
   * that did not change is not parsed and validated again.
   */
  private built = new Map<string, ReturnType<typeof leafToEntity>>();

  constructor(private readonly options: WorkloadCatalogProviderOptions) {
    this.reader = new CatalogReader(options.repo, options.logger);
    this.pathFields = leafPathMatcher(options.repo.leafPathPattern);
  }

  getProviderName(): string {
    const { host, owner, repo } = this.options.repo;
    return `workload-catalog:${host}/${owner}/${repo}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const runner = this.options.taskRunner;
    if (!runner) return;
    await runner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch {
          // Logged in refresh(); the schedule runs again.
        }
      },
    });
  }

  /** Reads the repository and hands the entities to the catalog. */
  async refresh(): Promise<RefreshResult> {
    if (!this.connection)
      throw new Error('WorkloadCatalogEntityProvider is not connected');
    const { repo, logger } = this.options;
    let snapshot;
    try {
      const octokit = await this.options.githubClientFactory({
        host: repo.host,
        owner: repo.owner,
        repo: repo.repo,
        logger,
      });
      snapshot = await this.reader.read(octokit, {
        includeProposed: this.options.includeProposed,
      });
    } catch (error) {
      logger.error(
        `Could not read the workload catalog repo ${repo.webUrl} (${repo.baseBranch}); the catalog keeps the workloads it has: ${(error as Error)?.message ?? error}`,
      );
      throw error;
    }

    const invalid: RefreshResult['invalid'] = [];
    const entities: Entity[] = [];
    const names = new Map<string, string>();
    const catalogs = new Set<string>();
    const built = new Map<string, ReturnType<typeof leafToEntity>>();
    for (const file of snapshot.files) {
      const key = JSON.stringify([
        file.path,
        file.sha,
        file.source,
        file.ref,
        file.openPull?.number,
        file.openPull?.url,
      ]);
      const result =
        this.built.get(key) ??
        leafToEntity(
          file,
          this.pathFields(file.path)!,
          repo,
          this.options.entity,
        );
      built.set(key, result);
      const ref = result.entity.metadata.name;
      const clash = names.get(ref);
      if (clash) {
        const message = `${file.path}: not listed: ${clash} already gives the entity component:default/${ref} (the same serviceName and environment in two catalogs)`;
        invalid.push({ path: file.path, messages: [message] });
        logger.warn(`Workload catalog leaf ${message}`);
        continue;
      }
      names.set(ref, file.path);
      catalogs.add(result.serviceCatalog);
      if (result.issues.length) {
        const messages = result.issues.map(
          i => `${file.path}:${i.line}:${i.column}: ${i.path}: ${i.message}`,
        );
        invalid.push({ path: file.path, messages });
        logger.warn(
          `Invalid workload catalog leaf ${file.path}${file.source === 'proposed' ? ` (pull request #${file.openPull?.number})` : ''}; listed with its problems (annotation workload-catalog.dev/leaf-errors):\n  ${messages.join('\n  ')}`,
        );
      }
      entities.push(result.entity);
    }
    if (this.options.systems) {
      for (const c of [...catalogs].sort()) {
        if (c !== 'unknown')
          entities.push(
            systemEntity(c, repo, this.options.entity.defaultOwner),
          );
      }
    }
    for (const problem of snapshot.problems)
      logger.warn(`Workload catalog: ${problem}`);
    this.built = built;

    const fingerprint = JSON.stringify(entities);
    if (fingerprint === this.lastFingerprint) {
      return { invalid, problems: snapshot.problems };
    }
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.lastFingerprint = fingerprint;
    logger.info(
      `Workload catalog: ${entities.length} entities from ${repo.webUrl} at ${snapshot.baseSha.slice(0, 7)} (${snapshot.files.filter(f => f.source === 'proposed').length} proposed, ${invalid.length} with problems)`,
    );
    return { entities, invalid, problems: snapshot.problems };
  }
}
