/*
 * workload:catalog:pull-request — a thin adapter from the scaffolder's context to
 * openLeafPullRequest (plugins/workload-catalog-node), which validates the leaf again,
 * checks the leaf permission and opens the pull request: one commit, the leaf inline. Each
 * side effect runs in its own ctx.checkpoint, so a retried task continues where it stopped
 * and never opens a second pull request.
 */
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  openLeafPullRequest,
  type LeafPullRequestOptions,
} from '@workload-catalog/plugin-workload-catalog-node';
import { examples } from './catalogPullRequest.examples';

export const CATALOG_PULL_REQUEST_ACTION_ID = 'workload:catalog:pull-request';

export interface CatalogPullRequestActionOptions extends LeafPullRequestOptions {
  /** Base URL of the Backstage app, for the link back to the task in the pull request. */
  appBaseUrl?: string;
}

export function createCatalogPullRequestAction(
  options: CatalogPullRequestActionOptions,
) {
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
      const taskId = ctx.task?.id ?? 'unknown-task';
      const result = await openLeafPullRequest(options, {
        leaf: ctx.input.leaf,
        update: ctx.input.update,
        reviewers: ctx.input.reviewers,
        teamReviewers: ctx.input.teamReviewers,
        labels: ctx.input.labels,
        draft: ctx.input.draft,
        requestId: taskId,
        requestUrl: options.appBaseUrl
          ? `${options.appBaseUrl.replace(/\/$/, '')}/create/tasks/${taskId}`
          : undefined,
        requestedBy: ctx.user?.ref,
        credentials: options.permissions
          ? await ctx.getInitiatorCredentials()
          : undefined,
        logger: ctx.logger,
        signal: ctx.signal,
        dryRun: ctx.isDryRun,
        step: (key, fn) => ctx.checkpoint({ key, fn }),
      });
      ctx.output('pullRequestUrl', result.pullRequestUrl);
      ctx.output('pullRequestNumber', result.pullRequestNumber);
      ctx.output('branch', result.branch);
      ctx.output('leafPath', result.leafPath);
      ctx.output('title', result.title);
    },
  });
}
