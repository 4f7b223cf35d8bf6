/*
 * The GitHub side of a catalog pull request, one function per side effect so the caller can
 * put each in its own checkpoint. The happy path is four calls on GitHub's real API:
 *
 *   1. one GraphQL query: the base branch's commit and tree, the leaf on it (if any), the
 *      paths and blob shas of the whole catalog's leaves (for the catalog-wide rules), and
 *      the leaf's branch with its open and closed pull requests (if it exists); the texts
 *      of the leaves that may name the same service (their path holds its name), if any,
 *      in a second query;
 *   2. the branch, created at the base commit (REST git/create-ref: atomic, 422 when it
 *      exists);
 *   3. the commit, with GraphQL createCommitOnBranch (the leaf inline; GitHub signs it, so
 *      it is verified) and expectedHeadOid, GitHub's compare-and-swap: of two requests on
 *      one branch, exactly one commits;
 *   4. the pull request (REST pulls/create).
 *
 * Everything else runs only when something is off (a retry, a conflict, a failure).
 *
 * One branch per leaf path: it is the lock that makes concurrent requests for the same
 * service end in one pull request. A branch is "ours" when its commit carries our task id
 * (a retried task finds its own branch and pull request instead of opening new ones); a
 * branch still at the base commit has no owner yet, and whoever commits on it first
 * (expectedHeadOid) owns it.
 */
import { ConflictError, InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Octokit } from '@octokit/rest';
import { leafPathGlobMatcher } from '@workload-catalog/plugin-workload-catalog-common';

export const TASK_TRAILER = 'Workload-Catalog-Task';

export interface CatalogRepoTarget {
  owner: string;
  repo: string;
  baseBranch: string;
  /** Web URL of the repository (for messages and dry-run links). */
  webUrl: string;
}

/** An open pull request: its number and web URL. */
export type OpenPull = {
  number: number;
  url: string;
};

/** The leaf's branch as GitHub shows it. */
export type BranchState = {
  /** The commit the branch points at. */
  sha: string;
  /** Its message (the task trailer says who made it). */
  message: string;
  committedDate: string;
  /** The branch's open pull request, if any. */
  openPull: OpenPull | null;
  /** Head commits of the branch's closed or merged pull requests (newest first, up to 5). */
  closedHeads: string[];
};

export type BaseState = {
  baseSha: string;
  baseTree: string;
  /** The leaf already on the base branch, if any. */
  existing: { sha: string; yaml: string } | null;
  /** The leaf's branch when the base was read (null: there is none). */
  branch: BranchState | null;
};

/** A file of the base branch that Argo CD's files generator reads: its path and blob sha. */
export type CatalogEntry = { path: string; oid: string };
/** Such a file with its text. */
export type CatalogFile = { path: string; text: string };

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

/** The error a GitHub call failed with (unwrapped from the caller's description). */
const causeOf = (error: unknown): unknown =>
  (error as { cause?: unknown })?.cause ?? error;

/** GitHub's GraphQL answered with errors (as opposed to a failed HTTP call). */
function graphqlErrors(
  error: unknown,
): Array<{ type?: string; message?: string }> | undefined {
  const e = error as {
    name?: string;
    errors?: Array<{ type?: string; message?: string }>;
  };
  return e?.name === 'GraphqlResponseError' ? (e.errors ?? []) : undefined;
}

/** The task id in a commit message's trailer, if any. */
export function taskOfCommitMessage(message: string): string | undefined {
  const m = new RegExp(`^${TASK_TRAILER}: (\\S+)\\s*$`, 'm').exec(message);
  return m?.[1];
}

const BRANCH_FIELDS = `
  fragment WorkloadCatalogBranch on Ref {
    target { oid ... on Commit { message committedDate } }
    open: associatedPullRequests(states: OPEN, first: 1) { nodes { number url } }
    closed: associatedPullRequests(
      states: [CLOSED, MERGED]
      first: 5
      orderBy: { field: CREATED_AT, direction: DESC }
    ) { nodes { headRefOid } }
  }`;

/**
 * Where the leaves of a pattern are: the folder before the first placeholder (`catalog` for
 * `catalog/{serviceCatalog}/{environment}/{serviceName}.yaml`, "" for the root) and how many
 * levels below it a leaf is (3).
 */
export function catalogLayout(pattern: string): {
  root: string;
  depth: number;
} {
  const segments = pattern.split('/');
  let literal = 0;
  while (literal < segments.length - 1 && !segments[literal].includes('{'))
    literal++;
  return {
    root: segments.slice(0, literal).join('/'),
    depth: segments.length - literal,
  };
}

/**
 * The tree below the catalog's root, `depth` levels of entries, the last level (where the
 * leaves are) with their blob shas, no texts (GitHub stops a query after 10 seconds; 10,000
 * blob texts would risk that). GraphQL has no recursion, so the selection is spelled out
 * per level: a catalog of 10,000 leaves is one query.
 */
function catalogTreeSelection(depth: number): string {
  let selection = 'entries { name type oid }';
  for (let level = 1; level < depth; level++)
    selection = `entries { name type object { ... on Tree { ${selection} } } }`;
  return `... on Tree { ${selection} }`;
}

function baseQuery(pattern: string | undefined): string {
  let catalog = '';
  let rootVariable = '';
  if (pattern !== undefined) {
    const { root, depth } = catalogLayout(pattern);
    const selection = catalogTreeSelection(depth);
    if (root) {
      rootVariable = ', $catalogRoot: String!';
      catalog = `catalog: file(path: $catalogRoot) { type object { ${selection} } }`;
    } else {
      catalog = `catalog: tree { ${selection} }`;
    }
  }
  return `
  query WorkloadCatalogBase($owner: String!, $repo: String!, $base: String!, $branch: String!, $leafPath: String!${rootVariable}) {
    repository(owner: $owner, name: $repo) {
      base: ref(qualifiedName: $base) {
        target {
          oid
          ... on Commit {
            tree { oid }
            file(path: $leafPath) { type object { ... on Blob { oid text isBinary } } }
            ${catalog}
          }
        }
      }
      branch: ref(qualifiedName: $branch) { ...WorkloadCatalogBranch }
    }
  }
  ${BRANCH_FIELDS}`;
}

type TreeJson = {
  entries?: Array<{
    name: string;
    type: string;
    oid?: string;
    object?: TreeJson | null;
  }>;
};

/** The blobs of the catalog tree that the pattern's glob matches. */
function catalogEntries(
  tree: TreeJson | null | undefined,
  pattern: string,
): CatalogEntry[] {
  const { root, depth } = catalogLayout(pattern);
  const isLeaf = leafPathGlobMatcher(pattern);
  const out: CatalogEntry[] = [];
  const walk = (
    node: TreeJson | null | undefined,
    dir: string,
    level: number,
  ) => {
    for (const entry of node?.entries ?? []) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (level < depth - 1) {
        if (entry.type === 'tree') walk(entry.object, path, level + 1);
      } else if (entry.type === 'blob' && entry.oid && isLeaf(path)) {
        out.push({ path, oid: entry.oid });
      }
    }
  };
  walk(tree, root, 0);
  return out;
}

/** Blob texts read per GraphQL query (aliases of `object(oid:)`). */
export const BLOBS_PER_QUERY = 100;

/**
 * The texts of catalog files, BLOBS_PER_QUERY a GraphQL query; a binary, truncated or
 * missing blob is left out.
 */
export async function readCatalogTexts(
  octokit: Octokit,
  target: CatalogRepoTarget,
  entries: CatalogEntry[],
): Promise<CatalogFile[]> {
  const out: CatalogFile[] = [];
  for (let i = 0; i < entries.length; i += BLOBS_PER_QUERY) {
    const batch = entries.slice(i, i + BLOBS_PER_QUERY);
    const variables: Record<string, string> = {
      owner: target.owner,
      repo: target.repo,
    };
    const declarations = ['$owner: String!', '$repo: String!'];
    const fields = batch.map((entry, j) => {
      variables[`o${j}`] = entry.oid;
      declarations.push(`$o${j}: GitObjectID!`);
      return `o${j}: object(oid: $o${j}) { ... on Blob { text isBinary isTruncated } }`;
    });
    const data: {
      repository: Record<
        string,
        {
          text?: string | null;
          isBinary?: boolean;
          isTruncated?: boolean;
        } | null
      >;
    } = await octokit.graphql(
      `query WorkloadCatalogLeafTexts(${declarations.join(', ')}) {
        repository(owner: $owner, name: $repo) { ${fields.join('\n')} }
      }`,
      variables,
    );
    batch.forEach((entry, j) => {
      const blob = data.repository[`o${j}`];
      if (typeof blob?.text === 'string' && !blob.isBinary && !blob.isTruncated)
        out.push({ path: entry.path, text: blob.text });
    });
  }
  return out;
}

const BRANCH_QUERY = `
  query WorkloadCatalogBranch($owner: String!, $repo: String!, $branch: String!) {
    repository(owner: $owner, name: $repo) {
      branch: ref(qualifiedName: $branch) { ...WorkloadCatalogBranch }
    }
  }
  ${BRANCH_FIELDS}`;

const COMMIT_MUTATION = `
  mutation WorkloadCatalogCommit($input: CreateCommitOnBranchInput!) {
    createCommitOnBranch(input: $input) { commit { oid } }
  }`;

type RefJson = {
  target: { oid: string; message?: string; committedDate?: string };
  open: { nodes: Array<{ number: number; url: string }> };
  closed: { nodes: Array<{ headRefOid: string }> };
} | null;

function branchState(ref: RefJson): BranchState | null {
  if (!ref) return null;
  const open = ref.open.nodes[0];
  return {
    sha: ref.target.oid,
    message: ref.target.message ?? '',
    committedDate: ref.target.committedDate ?? new Date(0).toISOString(),
    openPull: open ? { number: open.number, url: open.url } : null,
    closedHeads: ref.closed.nodes.map(n => n.headRefOid),
  };
}

/**
 * Reads, in one GraphQL query, the base branch (commit and tree), the leaf at `leafPath`
 * on it, and the leaf's branch `branch` with its pull requests. With `leafPathPattern`,
 * also every file of the base branch that the pattern's glob matches, by path and blob sha
 * (`catalogEntries`), for the catalog-wide rules.
 */
export async function readBase(
  octokit: Octokit,
  target: CatalogRepoTarget,
  leafPath: string,
  branch: string,
  options: { leafPathPattern?: string } = {},
): Promise<BaseState & { catalogEntries?: CatalogEntry[] }> {
  const { owner, repo, baseBranch } = target;
  const pattern = options.leafPathPattern;
  let data: {
    repository: {
      base: {
        target: {
          oid: string;
          tree?: { oid: string };
          catalog?:
            ({ type?: string; object?: TreeJson | null } & TreeJson) | null;
          file?: {
            type: string;
            object: {
              oid?: string;
              text?: string | null;
              isBinary?: boolean;
            } | null;
          } | null;
        };
      } | null;
      branch: RefJson;
    } | null;
  };
  try {
    const root = pattern === undefined ? '' : catalogLayout(pattern).root;
    data = await octokit.graphql(baseQuery(pattern), {
      owner,
      repo,
      base: `refs/heads/${baseBranch}`,
      branch: `refs/heads/${branch}`,
      leafPath,
      ...(root ? { catalogRoot: root } : {}),
    });
  } catch (error) {
    if (graphqlErrors(error)?.some(e => e.type === 'NOT_FOUND')) {
      throw new InputError(
        `The catalog repository ${target.webUrl} was not found, or the credentials cannot read it (workloadCatalog.catalogRepo)`,
      );
    }
    throw error;
  }
  const base = data.repository?.base;
  if (!base?.target.tree) {
    throw new InputError(
      `The catalog repository ${target.webUrl} has no branch "${baseBranch}" (workloadCatalog.catalogRepo.baseBranch), or the credentials cannot read the repository`,
    );
  }
  const file = base.target.file;
  let existing: BaseState['existing'] = null;
  if (file) {
    if (file.type !== 'blob' || !file.object?.oid || file.object.isBinary) {
      let kind = file.type;
      if (file.type === 'tree') kind = 'directory';
      else if (file.object?.isBinary) kind = 'binary file';
      throw new InputError(
        `${leafPath} in ${target.webUrl} is a ${kind}, not a leaf file`,
      );
    }
    existing = { sha: file.object.oid, yaml: file.object.text ?? '' };
  }
  let files: CatalogEntry[] | undefined;
  if (pattern !== undefined) {
    const catalog = base.target.catalog;
    // Below a root folder: the folder's entry (its object is the tree); at the root: the tree.
    let tree: TreeJson | null | undefined = catalog;
    if (catalogLayout(pattern).root)
      tree = catalog?.type === 'tree' ? catalog.object : null;
    files = catalogEntries(tree, pattern);
  }
  return {
    baseSha: base.target.oid,
    baseTree: base.target.tree.oid,
    existing,
    branch: branchState(data.repository!.branch),
    ...(files ? { catalogEntries: files } : {}),
  };
}

/** The leaf's branch now (one GraphQL query), or null when there is none. */
export async function readBranch(
  octokit: Octokit,
  target: CatalogRepoTarget,
  branch: string,
): Promise<BranchState | null> {
  const data: { repository: { branch: RefJson } } = await octokit.graphql(
    BRANCH_QUERY,
    { owner: target.owner, repo: target.repo, branch: `refs/heads/${branch}` },
  );
  return branchState(data.repository.branch);
}

/** Runs one GitHub call under a name (what the caller reports when it fails). */
export type GithubCallWrapper = <T>(
  what: string,
  fn: () => Promise<T>,
) => Promise<T>;

/**
 * Puts the leaf on its branch: creates the branch at the base commit and commits the leaf
 * on it with createCommitOnBranch. When the branch exists: ours (its commit carries our
 * task) is adopted; one with an open pull request, or another request's fresh commit, is a
 * conflict; one still at the base commit is taken (expectedHeadOid decides if another
 * request takes it at the same moment); a leftover (its pull request closed or merged, no
 * pull request for STALE_BRANCH_MS, or at a base commit other than ours) is removed first.
 */
export async function commitLeaf(
  octokit: Octokit,
  target: CatalogRepoTarget,
  options: {
    branch: string;
    baseSha: string;
    leafPath: string;
    yaml: string;
    /** Commit message: its first line is the headline. */
    message: string;
    taskId: string;
    /** The branch as last read (from the base query); undefined: read it when needed. */
    known?: BranchState | null;
    logger: LoggerService;
    wrap?: GithubCallWrapper;
    now?: () => number;
  },
): Promise<{ sha: string; adopted: boolean }> {
  const { owner, repo } = target;
  const { branch, baseSha, logger } = options;
  const wrap: GithubCallWrapper = options.wrap ?? ((_what, fn) => fn());
  const now = options.now ?? Date.now;
  const newline = options.message.indexOf('\n');
  const headline =
    newline === -1 ? options.message : options.message.slice(0, newline);
  const body = newline === -1 ? '' : options.message.slice(newline + 1).trim();
  let state: BranchState | null | undefined = options.known;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (state === undefined)
      state = await wrap('read the branch', () =>
        readBranch(octokit, target, branch),
      );
    let head: string;
    if (!state) {
      try {
        await wrap('create the branch', () =>
          octokit.rest.git.createRef({
            owner,
            repo,
            ref: `refs/heads/${branch}`,
            sha: baseSha,
          }),
        );
        head = baseSha;
      } catch (error) {
        const cause = causeOf(error);
        if (
          status(cause) !== 422 ||
          !/already exists/i.test(githubMessage(cause))
        )
          throw error;
        state = undefined; // someone else's: see whose
        continue;
      }
    } else {
      const owningTask = taskOfCommitMessage(state.message);
      if (owningTask === options.taskId) {
        logger.info(
          `Branch ${branch} exists from an earlier run of this task; using it`,
        );
        return { sha: state.sha, adopted: true };
      }
      if (state.openPull) {
        throw new ConflictError(
          `A pull request for ${options.leafPath} is already open: ${state.openPull.url} (branch ${branch}). Review or close it first; to change that workload afterwards, run the template again with "update" set.`,
        );
      }
      const finished = state.closedHeads.includes(state.sha);
      const age = now() - new Date(state.committedDate).getTime();
      if (!owningTask && state.sha === baseSha) {
        logger.info(
          `Branch ${branch} is at the base commit without a leaf commit (a request that stopped before committing, or one committing now); committing on it`,
        );
        head = state.sha;
      } else if (owningTask && !finished && age < STALE_BRANCH_MS) {
        throw new ConflictError(
          `Another request for ${options.leafPath} is in progress (branch ${branch}, task ${owningTask}, created ${Math.max(0, Math.round(age / 1000))} s ago, no pull request yet). Wait for its pull request and review that one.`,
        );
      } else {
        let why = 'a request that stopped before committing';
        if (finished) why = 'a closed or merged pull request';
        else if (owningTask)
          why = `a request that did not finish (${Math.round(age / 60000)} min old, no pull request)`;
        logger.warn(`Branch ${branch} is left over from ${why}; replacing it`);
        try {
          await wrap('remove the left-over branch', () =>
            octokit.rest.git.deleteRef({ owner, repo, ref: `heads/${branch}` }),
          );
        } catch (error) {
          // 422: already removed by someone else
          if (status(causeOf(error)) !== 422) throw error;
        }
        state = null;
        continue;
      }
    }
    try {
      const data: { createCommitOnBranch: { commit: { oid: string } } } =
        await wrap('commit the leaf', () =>
          octokit.graphql(COMMIT_MUTATION, {
            input: {
              branch: {
                repositoryNameWithOwner: `${owner}/${repo}`,
                branchName: branch,
              },
              expectedHeadOid: head,
              message: body ? { headline, body } : { headline },
              fileChanges: {
                additions: [
                  {
                    path: options.leafPath,
                    contents: Buffer.from(options.yaml, 'utf8').toString(
                      'base64',
                    ),
                  },
                ],
              },
            },
          }),
        );
      return { sha: data.createCommitOnBranch.commit.oid, adopted: false };
    } catch (error) {
      // The branch moved (another request committed first, or our own commit's answer was
      // lost and the retry found the branch moved) or is gone: look again.
      if (!graphqlErrors(causeOf(error))) throw error;
      state = undefined;
    }
  }
  throw new ConflictError(
    `Branch ${branch} keeps changing under this request; another request for ${options.leafPath} is in progress`,
  );
}

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
 * lost), else remove the branch if it is still ours: at our commit, carrying our task, or
 * at the base commit we created it at. Never throws.
 */
export async function rollbackBranch(
  octokit: Octokit,
  target: CatalogRepoTarget,
  options: {
    branch: string;
    taskId: string;
    baseSha: string;
    logger: LoggerService;
  },
): Promise<OpenPull | undefined> {
  const { owner, repo } = target;
  try {
    const state = await readBranch(octokit, target, options.branch);
    if (!state) return undefined;
    const ours = taskOfCommitMessage(state.message) === options.taskId;
    if (state.openPull) return ours ? state.openPull : undefined;
    if (!ours && state.sha !== options.baseSha) return undefined;
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
