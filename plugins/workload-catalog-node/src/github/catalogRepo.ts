/*
 * The GitHub side of a catalog pull request, one function per side effect so the action can
 * put each in its own checkpoint. The happy path is six calls: read the base branch, check
 * the leaf's path, create the tree (the leaf inline), the commit, the branch, the pull
 * request. Everything else runs only when something is off (a retry, a conflict, a failure).
 *
 * One branch per leaf path: it is the lock that makes concurrent requests for the same
 * service end in one pull request. A branch is "ours" when its commit carries our task id
 * (a retried task finds its own branch and pull request instead of opening new ones).
 */
import { ConflictError, InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Octokit } from '@octokit/rest';

export const TASK_TRAILER = 'Workload-Catalog-Task';

export interface CatalogRepoTarget {
  owner: string;
  repo: string;
  baseBranch: string;
  /** Web URL of the repository (for messages and dry-run links). */
  webUrl: string;
}

export type BaseState = {
  baseSha: string;
  baseTree: string;
  /** The leaf already on the base branch, if any. */
  existing: { sha: string; yaml: string } | null;
};

/** A branch left by a finished or crashed request is reused after this long without a pull request. */
export const STALE_BRANCH_MS = 10 * 60 * 1000;

const status = (error: unknown): number | undefined =>
  (error as { status?: number })?.status;
const githubMessage = (error: unknown): string => {
  const data = (
    error as {
      response?: {
        data?: {
          message?: string;
          errors?: Array<{ message?: string; field?: string; code?: string }>;
        };
      };
    }
  )?.response?.data;
  const details = (data?.errors ?? [])
    .map(e => e.message ?? `${e.field} ${e.code}`)
    .join('; ');
  return [data?.message ?? (error as Error)?.message, details]
    .filter(Boolean)
    .join(': ');
};

/** The task id in a commit message's trailer, if any. */
export function taskOfCommitMessage(message: string): string | undefined {
  const m = new RegExp(`^${TASK_TRAILER}: (\\S+)\\s*$`, 'm').exec(message);
  return m?.[1];
}

/** Reads the base branch (commit and tree) and the leaf at `leafPath` on it. */
export async function readBase(
  octokit: Octokit,
  target: CatalogRepoTarget,
  leafPath: string,
): Promise<BaseState> {
  const { owner, repo, baseBranch } = target;
  let branch;
  try {
    branch = await octokit.rest.repos.getBranch({
      owner,
      repo,
      branch: baseBranch,
    });
  } catch (error) {
    if (status(error) === 404) {
      throw new InputError(
        `The catalog repository ${target.webUrl} has no branch "${baseBranch}" (workloadCatalog.catalogRepo.baseBranch), or the credentials cannot read the repository`,
      );
    }
    throw error;
  }
  const baseSha = branch.data.commit.sha;
  const baseTree = branch.data.commit.commit.tree.sha;
  try {
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: leafPath,
      ref: baseSha,
    });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
      throw new InputError(
        `${leafPath} in ${target.webUrl} is a ${Array.isArray(data) ? 'directory' : data.type}, not a leaf file`,
      );
    }
    return {
      baseSha,
      baseTree,
      existing: {
        sha: data.sha,
        yaml: Buffer.from(data.content, 'base64').toString('utf8'),
      },
    };
  } catch (error) {
    if (status(error) === 404) return { baseSha, baseTree, existing: null };
    throw error;
  }
}

/** A tree: the base tree with the leaf written inline (no separate blob call). */
export async function createLeafTree(
  octokit: Octokit,
  target: CatalogRepoTarget,
  options: { baseTree: string; leafPath: string; yaml: string },
): Promise<string> {
  const { data } = await octokit.rest.git.createTree({
    owner: target.owner,
    repo: target.repo,
    base_tree: options.baseTree,
    tree: [
      {
        path: options.leafPath,
        mode: '100644',
        type: 'blob',
        content: options.yaml,
      },
    ],
  });
  return data.sha;
}

export async function createLeafCommit(
  octokit: Octokit,
  target: CatalogRepoTarget,
  options: { tree: string; parent: string; message: string },
): Promise<string> {
  const { data } = await octokit.rest.git.createCommit({
    owner: target.owner,
    repo: target.repo,
    message: options.message,
    tree: options.tree,
    parents: [options.parent],
  });
  return data.sha;
}

type OpenPull = {
  number: number;
  url: string;
};

async function findOpenPull(
  octokit: Octokit,
  target: CatalogRepoTarget,
  branch: string,
): Promise<OpenPull | undefined> {
  const { data } = await octokit.rest.pulls.list({
    owner: target.owner,
    repo: target.repo,
    head: `${target.owner}:${branch}`,
    state: 'open',
    per_page: 1,
  });
  return data[0]
    ? { number: data[0].number, url: data[0].html_url }
    : undefined;
}

/**
 * Creates the branch at our commit. When the branch exists: ours (same task) is adopted;
 * another request's with an open pull request is a conflict; a leftover (its pull request
 * closed or merged, or none for STALE_BRANCH_MS) is removed and the branch created again.
 */
export async function createBranch(
  octokit: Octokit,
  target: CatalogRepoTarget,
  options: {
    branch: string;
    sha: string;
    taskId: string;
    leafPath: string;
    logger: LoggerService;
    now?: () => number;
  },
): Promise<{ sha: string; adopted: boolean }> {
  const { owner, repo } = target;
  const { branch, logger } = options;
  const now = options.now ?? Date.now;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await octokit.rest.git.createRef({
        owner,
        repo,
        ref: `refs/heads/${branch}`,
        sha: options.sha,
      });
      return { sha: options.sha, adopted: false };
    } catch (error) {
      if (
        status(error) !== 422 ||
        !/already exists/i.test(githubMessage(error))
      )
        throw error;
    }
    let existingSha: string;
    try {
      existingSha = (
        await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })
      ).data.object.sha;
    } catch (error) {
      if (status(error) === 404) continue; // removed meanwhile: try again
      throw error;
    }
    const commit = (
      await octokit.rest.git.getCommit({ owner, repo, commit_sha: existingSha })
    ).data;
    const owningTask = taskOfCommitMessage(commit.message);
    if (owningTask === options.taskId) {
      logger.info(
        `Branch ${branch} exists from an earlier run of this task; using it`,
      );
      return { sha: existingSha, adopted: true };
    }
    const open = await findOpenPull(octokit, target, branch);
    if (open) {
      throw new ConflictError(
        `A pull request for ${options.leafPath} is already open: ${open.url} (branch ${branch}). Review or close it first; to change that workload afterwards, run the template again with "update" set.`,
      );
    }
    const { data: closed } = await octokit.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:${branch}`,
      state: 'closed',
      per_page: 5,
    });
    const finished = closed.some(p => p.head.sha === existingSha);
    const age = now() - new Date(commit.committer.date).getTime();
    if (!finished && age < STALE_BRANCH_MS) {
      throw new ConflictError(
        `Another request for ${options.leafPath} is in progress (branch ${branch}${owningTask ? `, task ${owningTask}` : ''}, created ${Math.max(0, Math.round(age / 1000))} s ago, no pull request yet). Wait for its pull request and review that one.`,
      );
    }
    logger.warn(
      `Branch ${branch} is left over from ${finished ? 'a closed or merged pull request' : `a request that did not finish (${Math.round(age / 60000)} min old, no pull request)`}; replacing it`,
    );
    try {
      await octokit.rest.git.deleteRef({ owner, repo, ref: `heads/${branch}` });
    } catch (error) {
      if (status(error) !== 422) throw error; // 422: already removed by someone else
    }
  }
  throw new ConflictError(
    `Branch ${branch} keeps changing under this request; another request for ${options.leafPath} is in progress`,
  );
}

/**
 * Opens the pull request. When it already exists (a retry of this task, or an answer lost
 * on the way), finds it. When the branch is gone (removed after an earlier failure of this
 * task), creates it again first.
 */
export async function openPullRequest(
  octokit: Octokit,
  target: CatalogRepoTarget,
  options: {
    branch: string;
    sha: string;
    title: string;
    body: string;
    draft: boolean;
    recreateBranch: () => Promise<unknown>;
  },
): Promise<OpenPull & { adopted: boolean }> {
  const { owner, repo, baseBranch } = target;
  for (let attempt = 0; ; attempt++) {
    try {
      const { data } = await octokit.rest.pulls.create({
        owner,
        repo,
        head: options.branch,
        base: baseBranch,
        title: options.title,
        body: options.body,
        draft: options.draft,
      });
      return { number: data.number, url: data.html_url, adopted: false };
    } catch (error) {
      if (status(error) !== 422 || attempt > 0) throw error;
      const message = githubMessage(error);
      if (/already exists/i.test(message)) {
        const open = await findOpenPull(octokit, target, options.branch);
        if (open) return { ...open, adopted: true };
        throw error;
      }
      const errors = (error as any)?.response?.data?.errors ?? [];
      if (errors.some((e: { field?: string }) => e.field === 'head')) {
        await options.recreateBranch();
        continue;
      }
      throw error;
    }
  }
}

/**
 * After a failure: keep the branch if a pull request made it after all (its answer was
 * lost), else remove the branch if it still points at our commit. Never throws.
 */
export async function rollbackBranch(
  octokit: Octokit,
  target: CatalogRepoTarget,
  options: { branch: string; sha: string; logger: LoggerService },
): Promise<OpenPull | undefined> {
  const { owner, repo } = target;
  try {
    const open = await findOpenPull(octokit, target, options.branch);
    if (open) return open;
    const { data } = await octokit.rest.git.getRef({
      owner,
      repo,
      ref: `heads/${options.branch}`,
    });
    if (data.object.sha !== options.sha) return undefined;
    await octokit.rest.git.deleteRef({
      owner,
      repo,
      ref: `heads/${options.branch}`,
    });
    options.logger.info(
      `Removed branch ${options.branch}: no pull request was opened for it`,
    );
  } catch (error) {
    if (status(error) !== 404 && status(error) !== 422) {
      options.logger.error(
        `Could not remove branch ${options.branch} after the failure (${githubMessage(error)}); running this task again reuses it, and other requests replace it after ${STALE_BRANCH_MS / 60000} minutes`,
      );
    }
  }
  return undefined;
}

export async function requestReviewers(
  octokit: Octokit,
  target: CatalogRepoTarget,
  options: { number: number; reviewers: string[]; teamReviewers: string[] },
): Promise<void> {
  await octokit.rest.pulls.requestReviewers({
    owner: target.owner,
    repo: target.repo,
    pull_number: options.number,
    reviewers: options.reviewers,
    team_reviewers: options.teamReviewers,
  });
}

export async function addLabels(
  octokit: Octokit,
  target: CatalogRepoTarget,
  options: { number: number; labels: string[] },
): Promise<void> {
  await octokit.rest.issues.addLabels({
    owner: target.owner,
    repo: target.repo,
    issue_number: options.number,
    labels: options.labels,
  });
}

/** A GitHub failure as one sentence a user can act on. */
export function describeGithubFailure(
  what: string,
  target: CatalogRepoTarget,
  error: unknown,
): string {
  const code = status(error);
  const base = `Could not ${what} in ${target.webUrl}`;
  if (code === 401)
    return `${base}: GitHub rejected the credentials (401). Check the token or GitHub App under integrations.github.`;
  if (code === 403 && /rate limit/i.test(githubMessage(error))) {
    return `${base}: GitHub's rate limit (403) did not clear within the time budget: ${githubMessage(error)}`;
  }
  if (code === 403)
    return `${base}: the credentials may not write to the repository (403): ${githubMessage(error)}`;
  if (code === 404)
    return `${base}: the repository was not found (404), or the credentials cannot see it`;
  if (code !== undefined && code >= 500)
    return `${base}: GitHub kept failing (${code}) after retries: ${githubMessage(error)}`;
  if (code !== undefined)
    return `${base}: GitHub answered ${code}: ${githubMessage(error)}`;
  return `${base}: ${(error as Error)?.message ?? String(error)}`;
}
