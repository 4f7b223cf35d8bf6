/*
 * The "Configure" tab's backend: the workload's current leaf, and saving a changed leaf as
 * an update pull request through openLeafPullRequest (plugins/workload-catalog-node), the
 * same service the `workload:catalog:pull-request` action calls (validation against the
 * schema and policy, the leaf permission, one commit, one pull request per leaf, the pull
 * request text).
 */
import { randomUUID } from 'node:crypto';
import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  openLeafPullRequest,
  type GithubClientFactory,
  type LeafPolicySource,
  type LeafPullRequestOptions,
  type WorkloadCatalogConfig,
} from '@workload-catalog/plugin-workload-catalog-node';
import {
  parseLeafFile,
  readWorkloadEntity,
  type WorkloadConfigurationCurrent,
  type WorkloadConfigurationResponse,
} from '@workload-catalog/plugin-workload-catalog-common';

export interface WorkloadConfigurationServiceOptions {
  settings: WorkloadCatalogConfig;
  /** The platform policy in force (a PlatformPolicyReader); default: settings.policy alone. */
  policy?: LeafPolicySource;
  githubClientFactory: GithubClientFactory;
  permissions?: PermissionsService;
  logger: LoggerService;
}

/** The fields that say which workload a leaf is: the Configure tab must not change them. */
const IDENTITY = ['serviceName', 'serviceCatalog', 'environment'] as const;

export class WorkloadConfigurationService {
  private readonly pullRequests: LeafPullRequestOptions;

  constructor(private readonly options: WorkloadConfigurationServiceOptions) {
    const { settings } = options;
    this.pullRequests = {
      githubClientFactory: options.githubClientFactory,
      catalogRepo: settings.catalogRepo,
      policy: options.policy ?? settings.policy,
      pullRequestDefaults: settings.pullRequest,
      permissions: options.permissions,
    };
  }

  private workload(entity: Entity) {
    const info = readWorkloadEntity(entity);
    if (!info) {
      throw new NotFoundError(
        `${stringifyEntityRef(entity)} is not a Workload Catalog workload (no workload-catalog.dev/leaf-path annotation)`,
      );
    }
    const repo = info.catalogRepo
      ?.replace(/([^/])\/+$|^\/+$/, '$1')
      .replace(/\.git$/, '');
    const configured = this.options.settings.catalogRepo.url
      // eslint-disable-next-line redos/no-vulnerable -- app-config value, set by the operator (not user input)
      .replace(/\/+$/, '')
      .replace(/\.git$/, '');
    if (repo && repo !== configured) {
      throw new InputError(
        `The leaf of ${stringifyEntityRef(entity)} is in ${repo}, not in the configured catalog repo ${configured}`,
      );
    }
    return info;
  }

  private async octokit() {
    const { catalogRepo } = this.options.settings;
    return this.options.githubClientFactory({
      host: catalogRepo.host,
      owner: catalogRepo.owner,
      repo: catalogRepo.repo,
      logger: this.options.logger,
    });
  }

  /** The leaf's text at a ref, or undefined when it is not there. */
  private async leafAt(
    octokit: Awaited<ReturnType<GithubClientFactory>>,
    path: string,
    ref: string,
  ): Promise<string | undefined> {
    const { catalogRepo } = this.options.settings;
    try {
      const { data } = await octokit.rest.repos.getContent({
        owner: catalogRepo.owner,
        repo: catalogRepo.repo,
        path,
        ref,
      });
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
        throw new InputError(`${path} is not a file`);
      return Buffer.from(data.content, 'base64').toString('utf8');
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  /**
   * The leaf as it is now: on the base branch, or in the open pull request of a proposed
   * workload (and on the base branch once that is merged, before the catalog catches up).
   */
  async current(
    entity: Entity,
    canEdit: boolean,
  ): Promise<WorkloadConfigurationCurrent> {
    const info = this.workload(entity);
    const { catalogRepo } = this.options.settings;
    const octokit = await this.octokit();
    const refs =
      info.source === 'proposed' && info.pullRequestBranch
        ? [info.pullRequestBranch, catalogRepo.baseBranch]
        : [catalogRepo.baseBranch];
    let ref = refs[0];
    let text: string | undefined;
    for (ref of refs) {
      text = await this.leafAt(octokit, info.leafPath, ref);
      if (text !== undefined) break;
    }
    if (text === undefined) {
      throw new NotFoundError(
        `${info.leafPath} is not on ${refs.join(' or ')} of ${catalogRepo.url} (the catalog may not have caught up yet)`,
      );
    }
    const merged = ref === catalogRepo.baseBranch;
    const parsed = parseLeafFile(text);
    // eslint-disable-next-line redos/no-vulnerable -- app-config value, set by the operator (not user input)
    const webUrl = catalogRepo.url.replace(/\/+$/, '').replace(/\.git$/, '');
    // After the merge, the proposed entity's pull request is not open any more.
    const open =
      merged && info.source === 'proposed' ? undefined : info.openPullRequest;
    return {
      leaf: parsed.value ?? {},
      yaml: text,
      leafPath: info.leafPath,
      ref,
      ...(open
        ? { openPullRequest: { number: open, url: `${webUrl}/pull/${open}` } }
        : {}),
      canEdit,
    };
  }

  /**
   * Opens the update pull request for a changed leaf, as the user (their credentials go to
   * the action's own leaf permission check). InputError: the leaf is invalid or moves the
   * workload; ConflictError: a pull request for the leaf is already open; NotAllowedError:
   * the policy refuses.
   */
  async propose(
    entity: Entity,
    leaf: unknown,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<WorkloadConfigurationResponse> {
    const info = this.workload(entity);
    if (!leaf || typeof leaf !== 'object' || Array.isArray(leaf))
      throw new InputError('The request needs the changed leaf as "leaf"');
    for (const field of IDENTITY) {
      const now = info[field];
      const next = (leaf as Record<string, unknown>)[field];
      if (now !== undefined && next !== now) {
        throw new InputError(
          `${field} cannot change here (it is "${now}", the leaf says ${JSON.stringify(next)}): it names the workload. To move or rename it, propose a new workload and remove this one.`,
        );
      }
    }
    if (
      info.source === 'proposed' &&
      (await this.leafAt(
        await this.octokit(),
        info.leafPath,
        this.options.settings.catalogRepo.baseBranch,
      )) === undefined
    ) {
      throw new ConflictError(
        `${info.leafPath} is not merged yet${info.openPullRequest ? `: its pull request #${info.openPullRequest} is open` : ''}. Change it in that pull request, or wait until it is merged.`,
      );
    }
    const requestId = `configure-${randomUUID()}`;
    const result = await openLeafPullRequest(this.pullRequests, {
      leaf,
      update: true,
      requestId,
      requestedBy: credentials.principal.userEntityRef,
      credentials,
      logger: this.options.logger.child({
        entity: stringifyEntityRef(entity),
        request: requestId,
      }),
    });
    return {
      pullRequestUrl: result.pullRequestUrl,
      pullRequestNumber: result.pullRequestNumber,
      branch: result.branch,
      leafPath: result.leafPath,
      title: result.title,
    };
  }
}
