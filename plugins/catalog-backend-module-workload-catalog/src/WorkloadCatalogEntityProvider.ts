/*
 * The entity provider: on a schedule, reads the catalog repo and replaces its entities with
 * one Component per leaf (plus one per workload proposed in an open pull request) and one
 * System per serviceCatalog. Invalid leaves are logged with their path and problems and
 * kept as entities that carry the problems (see leafEntity.ts). When GitHub fails, the
 * entities stay as they were and the failure is logged.
 *
 * The catalog-wide rules (common's CatalogRules, the CLI's): the leaves on the base branch
 * in the CLI's order (compareCatalogPaths), then those only in pull requests, so the leaf
 * that came later is the one that breaks a rule, as the catalog repo's CI reports it. That
 * leaf carries the problem like its own (annotation workload-catalog.dev/leaf-errors, which
 * the workload page shows: "... is already the workload of catalog/x/dev/y.yaml", tag
 * invalid-leaf, the provider's log). Its entity is listed, unless it would have the same
 * name as the earlier leaf's (the same serviceName and environment): Backstage holds one
 * entity a name, so only the first is listed and the second is logged.
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
import {
  CatalogRules,
  compareCatalogPaths,
  type PositionedIssue,
} from '@workload-catalog/plugin-workload-catalog-common';
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
    const build = (file: (typeof snapshot.files)[number]) => {
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
      return { file, result };
    };
    // The rules' order: merged leaves as the CLI walks them, then proposed ones.
    const byPath = (a: { path: string }, b: { path: string }) =>
      compareCatalogPaths(a.path, b.path);
    const ordered = [
      ...snapshot.files.filter(f => f.source === 'merged').sort(byPath),
      ...snapshot.files.filter(f => f.source !== 'merged').sort(byPath),
    ].map(build);
    const rules = new CatalogRules();
    for (const item of ordered) {
      const { file, result } = item;
      if (!result.leaf) continue;
      const broken: PositionedIssue[] = rules
        .check({
          path: file.path,
          leaf: result.leaf,
          positionOf: result.positionOf,
        })
        .map(({ path, line, column, message }) => ({
          path,
          line,
          column,
          message,
        }));
      if (broken.length) {
        // Rare, and depends on the other leaves too: built again, not kept.
        item.result = leafToEntity(
          file,
          this.pathFields(file.path)!,
          repo,
          this.options.entity,
          broken,
        );
      }
    }
    for (const { file, result } of ordered) {
      const messages = result.issues.map(
        i => `${file.path}:${i.line}:${i.column}: ${i.path}: ${i.message}`,
      );
      const ref = result.entity.metadata.name;
      const clash = names.get(ref);
      if (clash) {
        const message = `${file.path}: not listed: ${clash} already gives the entity component:default/${ref}`;
        invalid.push({ path: file.path, messages: [message, ...messages] });
        logger.warn(
          `Workload catalog leaf ${message}${messages.length ? `:\n  ${messages.join('\n  ')}` : ''}`,
        );
        continue;
      }
      names.set(ref, file.path);
      catalogs.add(result.serviceCatalog);
      if (result.issues.length) {
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
