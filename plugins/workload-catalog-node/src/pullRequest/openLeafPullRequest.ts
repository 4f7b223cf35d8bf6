/*
 * openLeafPullRequest: validates a leaf again (never trust a form), checks the leaf
 * permission, then opens a pull request that adds (or, with `update`, changes) it in the
 * catalog repo: one commit, the leaf inline. The scaffolder action and the Configure tab
 * both call it; each passes its own way of running a side effect (`step`): the action
 * passes ctx.checkpoint, so a retried task continues where it stopped and never opens a
 * second pull request.
 */
import type {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, isError } from '@backstage/errors';
import type { JsonValue } from '@backstage/types';
import {
  leafBranchName,
  leafChanges,
  parseLeafFile,
  pullRequestBody,
  pullRequestTitle,
  type WorkloadLeaf,
} from '@workload-catalog/plugin-workload-catalog-common';
import type { WorkloadCatalogConfig } from '../config';
import {
  addLabels,
  commitLeaf,
  describeGithubFailure,
  openPullRequest,
  readBase,
  readCatalogTexts,
  requestReviewers,
  rollbackBranch,
  TASK_TRAILER,
  type BaseState,
  type CatalogRepoTarget,
} from '../github/catalogRepo';
import type { GithubClientFactory } from '../github/client';
import {
  resolveLeafPolicy,
  type LeafPolicySource,
} from '../policy/PlatformPolicyReader';
import { InvalidLeafError, prepareLeaf } from '../leaf';
import { catalogConflicts, type CatalogConflict } from './catalogConflicts';
import {
  authorizeLeaf,
  workloadCatalogPullRequestCreatePermission,
} from '../permissions';

/**
 * Version of the step keys: bump it when what a step stores changes. v2: the base step
 * stores the leaf's branch too (one GraphQL query), and one step puts the leaf on its
 * branch (create the branch, createCommitOnBranch) instead of tree, commit and branch.
 */
export const LEAF_PULL_REQUEST_STEP_VERSION = 'workload-catalog.v2';

/**
 * Runs one side effect under a stable key. The scaffolder action passes ctx.checkpoint
 * (a retried task gets the stored result instead of running `fn` again); a caller without
 * retries passes nothing and each step simply runs.
 */
export type LeafPullRequestStepRunner = <T extends JsonValue | void>(
  key: string,
  fn: () => Promise<T>,
) => Promise<T>;

/** What stays the same for every pull request of one backend: where, how, who may. */
export interface LeafPullRequestOptions {
  githubClientFactory: GithubClientFactory;
  catalogRepo: WorkloadCatalogConfig['catalogRepo'];
  /** The platform policy, or where to get it (a PlatformPolicyReader): read once per request. */
  policy: LeafPolicySource;
  /** Labels, reviewers and draft of every pull request (a request adds to them). */
  pullRequestDefaults?: Partial<WorkloadCatalogConfig['pullRequest']>;
  /** When set, workload-catalog.pull-request.create is checked for the leaf (and for the leaf an update replaces). */
  permissions?: PermissionsService;
}

/** One request: the leaf, and who asks. */
export interface LeafPullRequestRequest {
  /** The leaf as a form or an editor produced it; validated here. */
  leaf: unknown;
  /** Change a leaf that already exists on the base branch (default false: a new workload must not exist yet). */
  update?: boolean;
  reviewers?: string[];
  teamReviewers?: string[];
  labels?: string[];
  draft?: boolean;
  /** Identifies this request in the commit trailer and the pull request body (a retried request keeps it). */
  requestId: string;
  /** Link back to where the request came from (the scaffolder task page). */
  requestUrl?: string;
  /** Entity ref of the user, for the commit and the pull request text. */
  requestedBy?: string;
  /** The user's credentials, for the leaf permission. Required when `permissions` is configured. */
  credentials?: BackstageCredentials;
  logger: LoggerService;
  signal?: AbortSignal;
  /** Read the base branch and describe the pull request, but write nothing. */
  dryRun?: boolean;
  step?: LeafPullRequestStepRunner;
}

export interface LeafPullRequestResult {
  /** Web URL of the pull request (in a dry run: of the comparison). */
  pullRequestUrl: string;
  /** Number of the pull request (0 in a dry run). */
  pullRequestNumber: number;
  branch: string;
  leafPath: string;
  title: string;
  /** The pull request was opened by an earlier run of the same request, and adopted. */
  adopted: boolean;
  /** The validated, normalised leaf. */
  leaf: WorkloadLeaf;
}

const unique = (values: Array<string | undefined>) => [
  ...new Set(values.filter((v): v is string => !!v)),
];

const runDirectly: LeafPullRequestStepRunner = (_key, fn) => fn();

/** The catalog repo as the GitHub functions see it. */
export function catalogRepoTarget(
  catalogRepo: WorkloadCatalogConfig['catalogRepo'],
): CatalogRepoTarget {
  return {
    owner: catalogRepo.owner,
    repo: catalogRepo.repo,
    baseBranch: catalogRepo.baseBranch,
    // eslint-disable-next-line redos/no-vulnerable -- app-config value, set by the operator (not user input)
    webUrl: catalogRepo.url.replace(/\/+$/, '').replace(/\.git$/, ''),
  };
}

/**
 * Opens the pull request of one leaf. Throws InvalidLeafError (an InputError listing every
 * problem by field path) before anything is written; InputError when the leaf already
 * exists (new workload), would not change (update), or would break a catalog-wide rule
 * against the leaves of the base branch (serviceName unique per namespace and per
 * environment, as the CLI checks in the catalog repo's CI); NotAllowedError when the
 * permission policy refuses; ConflictError when another request holds the leaf's branch.
 */
export async function openLeafPullRequest(
  options: LeafPullRequestOptions,
  request: LeafPullRequestRequest,
): Promise<LeafPullRequestResult> {
  const { catalogRepo, policy, githubClientFactory } = options;
  const defaults = options.pullRequestDefaults ?? {};
  const { logger } = request;
  const step = request.step ?? runDirectly;
  const key = (name: string) => `${LEAF_PULL_REQUEST_STEP_VERSION}.${name}`;
  const target = catalogRepoTarget(catalogRepo);

  let prepared;
  try {
    prepared = prepareLeaf(
      request.leaf,
      await resolveLeafPolicy(policy),
      catalogRepo.leafPathPattern,
    );
  } catch (error) {
    if (error instanceof InvalidLeafError) logger.error(`${error.message}`);
    throw error;
  }
  const { leaf, yaml, path: leafPath } = prepared;
  const authorize = async (subject: WorkloadLeaf) => {
    if (!options.permissions) return;
    if (!request.credentials)
      throw new Error(
        'openLeafPullRequest: permissions are configured but the request has no credentials',
      );
    await authorizeLeaf({
      permissions: options.permissions,
      credentials: request.credentials,
      permission: workloadCatalogPullRequestCreatePermission,
      leaf: subject,
      what: 'propose',
    });
  };
  await authorize(leaf);

  const update = request.update ?? false;
  const branch = leafBranchName(leafPath, catalogRepo.branchPrefix);
  const { requestId } = request;
  const reviewers = unique([
    ...(defaults.reviewers ?? []),
    ...(request.reviewers ?? []),
  ]);
  const teamReviewers = unique([
    ...(defaults.teamReviewers ?? []),
    ...(request.teamReviewers ?? []),
  ]);
  const labels = unique([
    ...(defaults.labels ?? []),
    ...(request.labels ?? []),
  ]);
  const draft = request.draft ?? defaults.draft ?? false;

  const client = await githubClientFactory({
    host: catalogRepo.host,
    owner: catalogRepo.owner,
    repo: catalogRepo.repo,
    logger,
    signal: request.signal,
  });
  const github = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof InputError || error instanceof ConflictError)
        throw error;
      throw new Error(describeGithubFailure(what, target, error), {
        cause: isError(error) ? error : undefined,
      });
    }
  };

  /**
   * The base branch as the request needs it: the leaf, its branch, and the leaf's conflicts
   * with the rest of the catalog (the leaves are not kept: a step stores what it returns).
   * The texts read are those of the leaves whose path holds the serviceName (the layout
   * puts it in every leaf's path; the catalog repo's CI, `validate --layout`, refuses a
   * leaf elsewhere): none for a new service, one more query when there are some.
   */
  const readBaseWithRules = async (): Promise<
    BaseState & { conflicts: CatalogConflict[] }
  > => {
    const { catalogEntries = [], ...state } = await readBase(
      client,
      target,
      leafPath,
      branch,
      { leafPathPattern: catalogRepo.leafPathPattern },
    );
    const candidates = catalogEntries.filter(
      e => e.path !== leafPath && e.path.includes(leaf.serviceName),
    );
    const files = candidates.length
      ? await readCatalogTexts(client, target, candidates)
      : [];
    return {
      ...state,
      conflicts: catalogConflicts(
        files,
        leaf,
        leafPath,
        catalogRepo.baseBranch,
      ),
    };
  };

  /**
   * Checks the base against the request: a new leaf must not exist, an update must change
   * it, neither may break a catalog-wide rule. (`conflicts` is missing from a base read by
   * an earlier version of this step: its task goes on as it started.)
   */
  const plan = async (base: BaseState & { conflicts?: CatalogConflict[] }) => {
    if (base.existing && !update) {
      throw new InputError(
        `${leafPath} already exists on ${catalogRepo.baseBranch} in ${target.webUrl}: the workload ${leaf.serviceName} is already in the catalog for ${leaf.environment}. To change it, run the template again with "update" set; to add another service, choose another serviceName.`,
      );
    }
    if (base.conflicts?.length) {
      throw new InputError(
        `${leafPath} would break the catalog-wide rules of ${target.webUrl} (${catalogRepo.baseBranch}); nothing was written:\n${base.conflicts.map(c => `- ${c.message}`).join('\n')}`,
      );
    }
    if (!base.existing)
      return { isUpdate: false, changes: undefined, previousYaml: undefined };
    const previous = parseLeafFile(base.existing.yaml);
    // Compare normal forms: a hand-written leaf that leaves defaults out is not "changed"
    // by a request that only spells them out.
    const changes = leafChanges(previous.leaf ?? previous.value ?? {}, leaf);
    if (base.existing.yaml === yaml || changes.length === 0) {
      throw new InputError(
        `${leafPath} on ${catalogRepo.baseBranch} is already exactly this leaf: there is nothing to change`,
      );
    }
    // An update is authorised against the leaf it replaces as well as the new one: moving
    // a workload out of what the user may touch is refused like moving one in.
    if (previous.leaf) await authorize(previous.leaf);
    return { isUpdate: true, changes, previousYaml: base.existing.yaml };
  };
  type Plan = Awaited<ReturnType<typeof plan>>;
  const texts = (p: Plan) => {
    const title = pullRequestTitle(leaf, { update: p.isUpdate });
    const body = pullRequestBody(leaf, {
      leafPath,
      yaml,
      previousYaml: p.previousYaml,
      changes: p.changes,
      taskUrl: request.requestUrl,
      requestedBy: request.requestedBy,
      marker: `workload-catalog task=${requestId}`,
    });
    const message = `${title}\n\nLeaf ${leafPath}, proposed through Backstage.\n\n${TASK_TRAILER}: ${requestId}\n${request.requestedBy ? `Requested-By: ${request.requestedBy}\n` : ''}`;
    return { title, body, message };
  };

  if (request.dryRun) {
    let p: Plan = {
      isUpdate: update,
      changes: undefined,
      previousYaml: undefined,
    };
    try {
      p = await plan(await readBaseWithRules());
    } catch (error) {
      if (error instanceof InputError) throw error;
      logger.warn(
        `Dry run: could not read the catalog repo (${describeGithubFailure('read the base branch', target, error)}); continuing without it`,
      );
    }
    const { title, body } = texts(p);
    logger.info(
      `Dry run: nothing is written. A real run opens "${title}" from ${branch} into ${catalogRepo.baseBranch} of ${target.webUrl}, adding ${leafPath}:\n${yaml}\n${body}`,
    );
    return {
      pullRequestUrl: `${target.webUrl}/compare/${catalogRepo.baseBranch}...${branch}`,
      pullRequestNumber: 0,
      branch,
      leafPath,
      title,
      adopted: false,
      leaf,
    };
  }

  const base = await step(key('read-base'), () =>
    github('read the base branch', readBaseWithRules),
  );
  const p = await plan(base);
  const { title, body, message } = texts(p);
  const wrap = <T>(what: string, fn: () => Promise<T>) => github(what, fn);
  const rollback = () =>
    rollbackBranch(client, target, {
      branch,
      taskId: requestId,
      baseSha: base.baseSha,
      logger,
    });
  const putLeaf = (known?: BaseState['branch']) =>
    commitLeaf(client, target, {
      branch,
      baseSha: base.baseSha,
      leafPath,
      yaml,
      message,
      taskId: requestId,
      known,
      logger,
      wrap,
    });
  const committed = await step(key('commit'), async () => {
    try {
      // The base read saw the branch as it was; a re-run of this step looks again.
      return await putLeaf(base.branch);
    } catch (error) {
      // The branch may exist although a call failed (its answer was lost).
      if (!(error instanceof ConflictError)) await rollback();
      throw error;
    }
  });
  const pull = await step(key('pull-request'), async () => {
    try {
      return await github('open the pull request', () =>
        openPullRequest(client, target, {
          branch,
          sha: committed.sha,
          title,
          body,
          draft,
          recreateBranch: () => putLeaf(null),
        }),
      );
    } catch (error) {
      const found = await rollback();
      if (found) return { ...found, adopted: true };
      throw error;
    }
  });
  logger.info(
    `${pull.adopted ? 'Found the pull request of an earlier run' : 'Opened pull request'} #${pull.number}: ${pull.url}`,
  );
  if (reviewers.length || teamReviewers.length) {
    await step(key('reviewers'), async () => {
      try {
        await requestReviewers(client, target, {
          number: pull.number,
          reviewers,
          teamReviewers,
        });
        return { requested: true };
      } catch (error) {
        logger.warn(
          `${describeGithubFailure('request reviewers', target, error)}; the pull request is open without them`,
        );
        return { requested: false };
      }
    });
  }
  if (labels.length) {
    await step(key('labels'), async () => {
      try {
        await addLabels(client, target, { number: pull.number, labels });
        return { labelled: true };
      } catch (error) {
        logger.warn(
          `${describeGithubFailure('label the pull request', target, error)}; the pull request is open without labels`,
        );
        return { labelled: false };
      }
    });
  }
  return {
    pullRequestUrl: pull.url,
    pullRequestNumber: pull.number,
    branch,
    leafPath,
    title,
    adopted: !!pull.adopted,
    leaf,
  };
}
