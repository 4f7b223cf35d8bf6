/*
 * The GitHub side of a workload's status: its pull request (the branch the scaffolder action
 * uses for the leaf) with its reviews, and whether a commit Argo CD deployed carries the
 * leaf of that pull request.
 */
import type { Octokit } from '@octokit/rest';
import type {
  PullRequestInfo,
  PullRequestReview,
} from '@workload-catalog/plugin-workload-catalog-common';

export interface RepoTarget {
  owner: string;
  repo: string;
  /** Web URL of the repository. */
  webUrl: string;
}

type Pull = Awaited<
  ReturnType<Octokit['rest']['pulls']['list']>
>['data'][number];

const status = (error: unknown) => (error as { status?: number })?.status;

/** The pull request the timeline follows: the open one, else the last merged, else the last closed. */
export function choosePull(pulls: Pull[]): Pull | undefined {
  const newestFirst = [...pulls].sort((a, b) => b.number - a.number);
  return (
    newestFirst.find(p => p.state === 'open') ??
    newestFirst.find(p => p.merged_at) ??
    newestFirst[0]
  );
}

/** Finds the pull requests of a leaf's branch and reads the reviews of the one that matters. */
export async function readPullRequest(
  octokit: Octokit,
  target: RepoTarget,
  branch: string,
): Promise<PullRequestInfo | undefined> {
  const { data: pulls } = await octokit.rest.pulls.list({
    owner: target.owner,
    repo: target.repo,
    head: `${target.owner}:${branch}`,
    state: 'all',
    sort: 'created',
    direction: 'desc',
    per_page: 30,
  });
  const pull = choosePull(pulls);
  if (!pull) return undefined;
  const { data: reviews } = await octokit.rest.pulls.listReviews({
    owner: target.owner,
    repo: target.repo,
    pull_number: pull.number,
    per_page: 100,
  });
  const merged = !!pull.merged_at;
  return {
    number: pull.number,
    title: pull.title,
    url: pull.html_url,
    state: merged ? 'merged' : (pull.state as 'open' | 'closed'),
    draft: !!pull.draft,
    kind: /^Update /.test(pull.title) ? 'update' : 'create',
    ...(pull.user?.login ? { author: pull.user.login } : {}),
    createdAt: pull.created_at,
    ...(pull.merged_at ? { mergedAt: pull.merged_at } : {}),
    ...(pull.closed_at ? { closedAt: pull.closed_at } : {}),
    headSha: pull.head.sha,
    ...(merged && pull.merge_commit_sha
      ? {
          mergeCommitSha: pull.merge_commit_sha,
          mergeCommitUrl: `${target.webUrl}/commit/${pull.merge_commit_sha}`,
        }
      : {}),
    reviews: reviews
      .filter(r => r.state !== 'PENDING')
      .map((r): PullRequestReview => ({
        user: r.user?.login ?? 'unknown',
        state: r.state,
        ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
        ...(r.html_url ? { url: r.html_url } : {}),
      })),
    requestedReviewers: (pull.requested_reviewers ?? []).map(u => u.login),
  };
}

/** The blob sha of a file at a commit (`null` when the file is not there). */
export async function fileShaAt(
  octokit: Octokit,
  target: RepoTarget,
  path: string,
  ref: string,
): Promise<string | null> {
  try {
    const { data } = await octokit.rest.repos.getContent({
      owner: target.owner,
      repo: target.repo,
      path,
      ref,
    });
    return Array.isArray(data) ? null : data.sha;
  } catch (error) {
    if (status(error) === 404) return null;
    throw error;
  }
}
