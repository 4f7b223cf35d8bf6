/*
 * workload:catalog:pull-request — validates the leaf again (never trust the form), then
 * opens a pull request that adds (or, with `update`, changes) it in the catalog repo: one
 * commit, the leaf inline, six GitHub calls. Each side effect runs in its own checkpoint,
 * so a retried task continues where it stopped and never opens a second pull request.
 */
import { ConflictError, InputError, isError } from '@backstage/errors';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  leafBranchName,
  leafChanges,
  parseLeafFile,
  pullRequestBody,
  pullRequestTitle,
  type LeafPolicy,
} from '@workload-catalog/plugin-workload-catalog-common';
import {
  addLabels,
  createBranch,
  createLeafCommit,
  createLeafTree,
  describeGithubFailure,
  openPullRequest,
  readBase,
  requestReviewers,
  rollbackBranch,
  TASK_TRAILER,
  type BaseState,
  type CatalogRepoTarget,
} from '../github/catalogRepo';
import type { GithubClientFactory } from '../github/client';
import { InvalidLeafError, formatIssues, prepareLeaf } from '../leaf';
import {
  authorizeLeaf,
  workloadCatalogPullRequestCreatePermission,
} from '../permissions';
import { examples } from './catalogPullRequest.examples';

export const CATALOG_PULL_REQUEST_ACTION_ID = 'workload:catalog:pull-request';

/** Version of the checkpoint keys: bump it when what a checkpoint stores changes. */
const CHECKPOINT = 'workload-catalog.v1';

export interface CatalogPullRequestActionOptions {
  githubClientFactory: GithubClientFactory;
  catalogRepo: {
    /** host[:port] of the integrations.github entry */
    host: string;
    owner: string;
    repo: string;
    /** Web URL of the repository */
    url: string;
    baseBranch: string;
    leafPathPattern: string;
    branchPrefix: string;
  };
  policy: LeafPolicy;
  pullRequestDefaults?: {
    labels?: string[];
    reviewers?: string[];
    teamReviewers?: string[];
    draft?: boolean;
  };
  /** Base URL of the Backstage app, for the link back to the task in the pull request. */
  appBaseUrl?: string;
  /** When set, workload-catalog.pull-request.create is checked for the leaf. */
  permissions?: PermissionsService;
}

const unique = (values: Array<string | undefined>) => [
  ...new Set(values.filter((v): v is string => !!v)),
];

export function createCatalogPullRequestAction(
  options: CatalogPullRequestActionOptions,
) {
  const { catalogRepo, policy, githubClientFactory } = options;
  const defaults = options.pullRequestDefaults ?? {};
  const target: CatalogRepoTarget = {
    owner: catalogRepo.owner,
    repo: catalogRepo.repo,
    baseBranch: catalogRepo.baseBranch,
    webUrl: catalogRepo.url.replace(/\/+$/, '').replace(/\.git$/, ''),
  };

  return createTemplateAction({
    id: CATALOG_PULL_REQUEST_ACTION_ID,
    description:
      'Validates a Workload Catalog leaf and opens a pull request that adds it to the catalog repo (one commit, the leaf inline)',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        leaf: z =>
          z
            .unknown()
            .describe(
              'The catalog leaf, as the form produced it; validated again here',
            ),
        update: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Change a leaf that already exists on the base branch (default false: a new workload must not exist yet)',
            ),
        reviewers: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'GitHub users asked to review (added to the configured ones)',
            ),
        teamReviewers: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'GitHub team slugs asked to review (added to the configured ones)',
            ),
        labels: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Labels of the pull request (added to the configured ones)',
            ),
        draft: z =>
          z.boolean().optional().describe('Open the pull request as a draft'),
      },
      output: {
        pullRequestUrl: z =>
          z
            .string()
            .describe(
              'Web URL of the pull request (in a dry run: of the comparison)',
            ),
        pullRequestNumber: z =>
          z.number().describe('Number of the pull request (0 in a dry run)'),
        branch: z => z.string().describe('Branch of the pull request'),
        leafPath: z =>
          z.string().describe('Path of the leaf in the catalog repo'),
        title: z => z.string().describe('Title of the pull request'),
      },
    },
    async handler(ctx) {
      let prepared;
      try {
        prepared = prepareLeaf(
          ctx.input.leaf,
          policy,
          catalogRepo.leafPathPattern,
        );
      } catch (error) {
        if (error instanceof InvalidLeafError)
          ctx.logger.error(
            `The leaf is not valid; nothing was written:\n${formatIssues(error.issues)}`,
          );
        throw error;
      }
      const { leaf, yaml, path: leafPath } = prepared;
      if (options.permissions) {
        await authorizeLeaf({
          permissions: options.permissions,
          credentials: await ctx.getInitiatorCredentials(),
          permission: workloadCatalogPullRequestCreatePermission,
          leaf,
          what: 'propose',
        });
      }
      const update = ctx.input.update ?? false;
      const branch = leafBranchName(leafPath, catalogRepo.branchPrefix);
      const taskId = ctx.task?.id ?? 'unknown-task';
      const taskUrl = options.appBaseUrl
        ? `${options.appBaseUrl.replace(/\/$/, '')}/create/tasks/${taskId}`
        : undefined;
      const reviewers = unique([
        ...(defaults.reviewers ?? []),
        ...(ctx.input.reviewers ?? []),
      ]);
      const teamReviewers = unique([
        ...(defaults.teamReviewers ?? []),
        ...(ctx.input.teamReviewers ?? []),
      ]);
      const labels = unique([
        ...(defaults.labels ?? []),
        ...(ctx.input.labels ?? []),
      ]);
      const draft = ctx.input.draft ?? defaults.draft ?? false;

      const client = await githubClientFactory({
        host: catalogRepo.host,
        owner: catalogRepo.owner,
        repo: catalogRepo.repo,
        logger: ctx.logger,
        signal: ctx.signal,
      });
      const github = async <T>(
        what: string,
        fn: () => Promise<T>,
      ): Promise<T> => {
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

      /** Checks the base against the request: a new leaf must not exist, an update must change it. */
      const plan = (base: BaseState) => {
        if (base.existing && !update) {
          throw new InputError(
            `${leafPath} already exists on ${catalogRepo.baseBranch} in ${target.webUrl}: the workload ${leaf.serviceName} is already in the catalog for ${leaf.environment}. To change it, run the template again with "update" set; to add another service, choose another serviceName.`,
          );
        }
        if (!base.existing)
          return {
            isUpdate: false,
            changes: undefined,
            previousYaml: undefined,
          };
        const previous = parseLeafFile(base.existing.yaml);
        // Compare normal forms: a hand-written leaf that leaves defaults out is not "changed"
        // by a request that only spells them out.
        const changes = leafChanges(
          previous.leaf ?? previous.value ?? {},
          leaf,
        );
        if (base.existing.yaml === yaml || changes.length === 0) {
          throw new InputError(
            `${leafPath} on ${catalogRepo.baseBranch} is already exactly this leaf: there is nothing to change`,
          );
        }
        return { isUpdate: true, changes, previousYaml: base.existing.yaml };
      };
      const texts = (p: ReturnType<typeof plan>) => {
        const title = pullRequestTitle(leaf, { update: p.isUpdate });
        const body = pullRequestBody(leaf, {
          leafPath,
          yaml,
          previousYaml: p.previousYaml,
          changes: p.changes,
          taskUrl,
          requestedBy: ctx.user?.ref,
          marker: `workload-catalog task=${taskId}`,
        });
        const message = `${title}\n\nLeaf ${leafPath}, proposed through Backstage.\n\n${TASK_TRAILER}: ${taskId}\n${ctx.user?.ref ? `Requested-By: ${ctx.user.ref}\n` : ''}`;
        return { title, body, message };
      };

      if (ctx.isDryRun) {
        let p: ReturnType<typeof plan> = {
          isUpdate: update,
          changes: undefined,
          previousYaml: undefined,
        };
        try {
          p = plan(await readBase(client, target, leafPath));
        } catch (error) {
          if (error instanceof InputError) throw error;
          ctx.logger.warn(
            `Dry run: could not read the catalog repo (${describeGithubFailure('read the base branch', target, error)}); continuing without it`,
          );
        }
        const { title, body } = texts(p);
        ctx.logger.info(
          `Dry run: nothing is written. A real run opens "${title}" from ${branch} into ${catalogRepo.baseBranch} of ${target.webUrl}, adding ${leafPath}:\n${yaml}\n${body}`,
        );
        ctx.output(
          'pullRequestUrl',
          `${target.webUrl}/compare/${catalogRepo.baseBranch}...${branch}`,
        );
        ctx.output('pullRequestNumber', 0);
        ctx.output('branch', branch);
        ctx.output('leafPath', leafPath);
        ctx.output('title', title);
        return;
      }

      const base = await ctx.checkpoint({
        key: `${CHECKPOINT}.read-base`,
        fn: () =>
          github('read the base branch', () =>
            readBase(client, target, leafPath),
          ),
      });
      const p = plan(base);
      const { title, body, message } = texts(p);
      const tree = await ctx.checkpoint({
        key: `${CHECKPOINT}.tree`,
        fn: () =>
          github('create the tree', () =>
            createLeafTree(client, target, {
              baseTree: base.baseTree,
              leafPath,
              yaml,
            }),
          ),
      });
      const commit = await ctx.checkpoint({
        key: `${CHECKPOINT}.commit`,
        fn: () =>
          github('create the commit', () =>
            createLeafCommit(client, target, {
              tree,
              parent: base.baseSha,
              message,
            }),
          ),
      });
      const makeBranch = () =>
        github('create the branch', () =>
          createBranch(client, target, {
            branch,
            sha: commit,
            taskId,
            leafPath,
            logger: ctx.logger,
          }),
        );
      const branchState = await ctx.checkpoint({
        key: `${CHECKPOINT}.branch`,
        fn: async () => {
          try {
            return await makeBranch();
          } catch (error) {
            // The branch may exist although the call failed (its answer was lost).
            if (!(error instanceof ConflictError)) {
              await rollbackBranch(client, target, {
                branch,
                sha: commit,
                logger: ctx.logger,
              });
            }
            throw error;
          }
        },
      });
      const pull = await ctx.checkpoint({
        key: `${CHECKPOINT}.pull-request`,
        fn: async () => {
          try {
            return await github('open the pull request', () =>
              openPullRequest(client, target, {
                branch,
                sha: branchState.sha,
                title,
                body,
                draft,
                recreateBranch: makeBranch,
              }),
            );
          } catch (error) {
            const found = await rollbackBranch(client, target, {
              branch,
              sha: branchState.sha,
              logger: ctx.logger,
            });
            if (found) return { ...found, adopted: true };
            throw error;
          }
        },
      });
      ctx.logger.info(
        `${pull.adopted ? 'Found the pull request of an earlier run' : 'Opened pull request'} #${pull.number}: ${pull.url}`,
      );
      if (reviewers.length || teamReviewers.length) {
        await ctx.checkpoint({
          key: `${CHECKPOINT}.reviewers`,
          fn: async () => {
            try {
              await requestReviewers(client, target, {
                number: pull.number,
                reviewers,
                teamReviewers,
              });
              return { requested: true };
            } catch (error) {
              ctx.logger.warn(
                `${describeGithubFailure('request reviewers', target, error)}; the pull request is open without them`,
              );
              return { requested: false };
            }
          },
        });
      }
      if (labels.length) {
        await ctx.checkpoint({
          key: `${CHECKPOINT}.labels`,
          fn: async () => {
            try {
              await addLabels(client, target, { number: pull.number, labels });
              return { labelled: true };
            } catch (error) {
              ctx.logger.warn(
                `${describeGithubFailure('label the pull request', target, error)}; the pull request is open without labels`,
              );
              return { labelled: false };
            }
          },
        });
      }
      ctx.output('pullRequestUrl', pull.url);
      ctx.output('pullRequestNumber', pull.number);
      ctx.output('branch', branch);
      ctx.output('leafPath', leafPath);
      ctx.output('title', title);
    },
  });
}
