/*
 * The REST operations: what GitHub does for each, on a real git repository. Errors carry
 * GitHub's status codes and messages (as far as GitHub documents or shows them).
 */
import path from 'node:path';
import { ZERO_SHA, type TreeChange } from './git';
import type { ObjectBuilder, PullRecord, ReviewRecord } from './objects';
import type { RepoOperationId } from './spec';
import type { RepoState, Store } from './store';

type Json = any;

const DOCS = 'https://docs.github.com/rest';
const SHA_RE = /^[0-9a-f]{40}$/;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Json[],
  ) {
    super(message);
  }

  body(): Json {
    const body: Json = { message: this.message, documentation_url: DOCS };
    if (this.errors) body.errors = this.errors;
    return body;
  }
}

const notFound = () => new HttpError(404, 'Not Found');
const validationFailed = (errors: Json[]) =>
  new HttpError(422, 'Validation Failed', errors);

export interface RestRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: Json;
  /** Login of the authenticated user. */
  user: string;
  /** The URL as requested (the base of pagination links). */
  url?: URL;
}

export interface RestResponse {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

type Handler = (repo: RepoState, req: RestRequest) => Promise<RestResponse>;

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Tree entry modes and the object type each needs. */
const MODE_TYPES: Record<string, TreeChange['type']> = {
  '100644': 'blob',
  '100755': 'blob',
  '120000': 'blob',
  '040000': 'tree',
  '160000': 'commit',
};

function checkTreePath(p: unknown): string {
  if (typeof p !== 'string' || p === '') {
    throw new HttpError(422, 'Invalid tree info: tree.path is required');
  }
  const segments = p.split('/');
  if (
    p.startsWith('/') ||
    p.endsWith('/') ||
    segments.some(
      s => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git',
    )
  ) {
    throw new HttpError(
      422,
      `tree.path "${p}" contains a malformed path component`,
    );
  }
  return p;
}

/** GitHub's page size rules: `per_page` 30 by default, at most 100; `page` from 1. */
export function pageOf(query: Record<string, string>): {
  perPage: number;
  page: number;
} {
  const perPage = Number(query.per_page ?? 30);
  const page = Number(query.page ?? 1);
  return {
    perPage:
      Number.isInteger(perPage) && perPage >= 1 ? Math.min(perPage, 100) : 30,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/**
 * GitHub's `Link` header for page `page` of `total` items: rel="prev", "next", "last" and
 * "first", each the requested URL with another `page` (only the ones that exist).
 */
export function linkHeader(
  url: URL | undefined,
  page: number,
  perPage: number,
  total: number,
): Record<string, string> {
  if (!url) return {};
  const last = Math.max(1, Math.ceil(total / perPage));
  const at = (n: number) => {
    const u = new URL(url.href);
    u.searchParams.set('page', String(n));
    return `<${u.href}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) {
    links.push(`${at(page + 1)}; rel="next"`);
    links.push(`${at(last)}; rel="last"`);
  }
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.length ? { link: links.join(', ') } : {};
}

/** One page of `items` as GitHub serves a list: the slice and its Link header. */
export function paginate<T>(
  items: T[],
  req: Pick<RestRequest, 'query' | 'url'>,
): { items: T[]; headers: Record<string, string> } {
  const { perPage, page } = pageOf(req.query);
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: linkHeader(req.url, page, perPage, items.length),
  };
}

export class RestApi {
  constructor(
    private readonly store: Store,
    private readonly objects: ObjectBuilder,
  ) {}

  repo(owner: string, name: string): RepoState {
    const repo = this.store.get(owner, name);
    if (!repo) throw notFound();
    return repo;
  }

  async handle(
    operation: RepoOperationId,
    req: RestRequest,
  ): Promise<RestResponse> {
    const repo = this.repo(req.params.owner, req.params.repo);
    return this.handlers[operation](repo, req);
  }

  private repository(repo: RepoState): Json {
    return this.objects.repository(
      repo.owner,
      repo.name,
      repo.defaultBranch,
      repo.id,
    );
  }

  private async commitOrThrow(repo: RepoState, sha: string) {
    const commit = await repo.git.readCommit(sha);
    if (!commit) throw notFound();
    return commit;
  }

  private async pullJson(
    repo: RepoState,
    pr: PullRecord,
    full: boolean,
  ): Promise<Json> {
    const baseSha =
      (await repo.git.resolveRef(`refs/heads/${pr.base}`)) ?? ZERO_SHA;
    const headSha =
      pr.headShaAtClose ??
      (await repo.git.resolveRef(`refs/heads/${pr.head}`)) ??
      ZERO_SHA;
    let stats;
    if (full) {
      let commits = 0;
      let additions = 0;
      let deletions = 0;
      let changedFiles = 0;
      if (headSha !== ZERO_SHA && baseSha !== ZERO_SHA) {
        const base = pr.mergedAt
          ? ((await repo.git.readCommit(pr.mergeCommitSha!))?.parents[0] ??
            baseSha)
          : baseSha;
        try {
          commits = Number(
            (
              await repo.git.git(['rev-list', '--count', `${base}..${headSha}`])
            ).trim(),
          );
          const numstat = await repo.git.git([
            'diff',
            '--numstat',
            `${base}...${headSha}`,
          ]);
          for (const line of numstat.split('\n').filter(Boolean)) {
            const [a, d] = line.split('\t');
            additions += Number(a) || 0;
            deletions += Number(d) || 0;
            changedFiles++;
          }
        } catch {
          // unrelated histories: leave the counts at 0
        }
      }
      stats = { commits, additions, deletions, changedFiles };
    }
    return this.objects.pull(
      repo.owner,
      repo.name,
      pr,
      { headSha, baseSha, repository: this.repository(repo) },
      stats,
    );
  }

  /** The head of a pull request and the commit its changes are counted from (merge base). */
  private async pullRange(
    repo: RepoState,
    pr: PullRecord,
  ): Promise<{ headSha: string; base?: string }> {
    const headSha =
      pr.headShaAtClose ??
      (await repo.git.resolveRef(`refs/heads/${pr.head}`)) ??
      ZERO_SHA;
    const baseSha = pr.mergeCommitSha
      ? (await repo.git.readCommit(pr.mergeCommitSha))?.parents[0]
      : await repo.git.resolveRef(`refs/heads/${pr.base}`);
    if (!baseSha || headSha === ZERO_SHA) return { headSha };
    try {
      const base = (
        await repo.git.git(['merge-base', baseSha, headSha])
      ).trim();
      return { headSha, base: base || undefined };
    } catch {
      return { headSha }; // unrelated histories
    }
  }

  /** `branch` or `owner:branch` (this repository's owner: forks are not supported). */
  private headBranch(repo: RepoState, head: string): string | undefined {
    const colon = head.indexOf(':');
    if (colon === -1) return head;
    if (head.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase())
      return undefined;
    return head.slice(colon + 1);
  }

  private readonly handlers: Record<RepoOperationId, Handler> = {
    'repos/get': async repo => ({ status: 200, body: this.repository(repo) }),

    'repos/get-branch': async (repo, req) => {
      const sha = await repo.git.resolveRef(`refs/heads/${req.params.branch}`);
      if (!sha) throw new HttpError(404, 'Branch not found');
      const commit = await this.commitOrThrow(repo, sha);
      return {
        status: 200,
        body: this.objects.branch(
          repo.owner,
          repo.name,
          req.params.branch,
          commit,
        ),
      };
    },

    'repos/list-commits': async (repo, req) => {
      const ref = req.query.sha ?? repo.defaultBranch;
      const start = await repo.git.resolveCommitish(ref);
      if (!start) {
        if (!(await repo.git.resolveRef(`refs/heads/${repo.defaultBranch}`))) {
          throw new HttpError(409, 'Git Repository is empty.');
        }
        throw new HttpError(404, `No commit found for SHA: ${ref}`);
      }
      const { perPage, page } = pageOf(req.query);
      const shas = await repo.git.log(start, perPage, (page - 1) * perPage);
      const total = Number(
        (await repo.git.git(['rev-list', '--count', start])).trim(),
      );
      const commits = [];
      for (const sha of shas)
        commits.push(
          this.objects.commit(
            repo.owner,
            repo.name,
            (await repo.git.readCommit(sha))!,
          ),
        );
      return {
        status: 200,
        body: commits,
        headers: linkHeader(req.url, page, perPage, total),
      };
    },

    'repos/get-content': async (repo, req) => {
      const ref = req.query.ref ?? repo.defaultBranch;
      const commit = await repo.git.resolveCommitish(ref);
      if (!commit)
        throw new HttpError(404, `No commit found for the ref ${ref}`);
      // eslint-disable-next-line redos/no-vulnerable -- test infrastructure: a local stand-in server whose input comes from the tests
      const filePath = req.params.path.replace(/^\/+|\/+$/g, '');
      const entry = await repo.git.entryAt(commit, filePath);
      if (!entry) throw notFound();
      if (entry.type === 'tree') {
        const entries = await repo.git.lsTree(entry.sha, { sizes: true });
        return {
          status: 200,
          body: entries.map(e =>
            this.objects.contentDirectoryEntry(repo.owner, repo.name, ref, {
              ...e,
              path: `${filePath}/${e.path}`,
            }),
          ),
        };
      }
      if (entry.type !== 'blob' || entry.mode === '120000') {
        throw new HttpError(
          404,
          'github-local serves files and directories only',
        );
      }
      const content = await repo.git.readBlob(entry.sha);
      return {
        status: 200,
        body: this.objects.contentFile(
          repo.owner,
          repo.name,
          ref,
          filePath,
          entry.sha,
          content,
        ),
      };
    },

    'git/create-blob': async (repo, req) => {
      const encoding = req.body.encoding ?? 'utf-8';
      if (encoding !== 'utf-8' && encoding !== 'base64') {
        throw validationFailed([
          { resource: 'Blob', field: 'encoding', code: 'invalid' },
        ]);
      }
      const sha = await repo.git.writeBlob(
        Buffer.from(
          req.body.content,
          encoding === 'base64' ? 'base64' : 'utf8',
        ),
      );
      return {
        status: 201,
        body: {
          sha,
          url: `${this.objects.urls.api}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`,
        },
      };
    },

    'git/get-blob': async (repo, req) => {
      const sha = req.params.file_sha;
      if (!SHA_RE.test(sha) || (await repo.git.objectType(sha)) !== 'blob')
        throw notFound();
      return {
        status: 200,
        body: this.objects.blob(
          repo.owner,
          repo.name,
          sha,
          await repo.git.readBlob(sha),
        ),
      };
    },

    'git/get-tree': async (repo, req) => {
      // Like GitHub: a tree sha, a commit sha, or a branch name.
      const given = req.params.tree_sha;
      let sha: string | undefined;
      if (SHA_RE.test(given)) {
        const type = await repo.git.objectType(given);
        if (type === 'tree') sha = given;
        else if (type === 'commit')
          sha = (await repo.git.readCommit(given))?.tree;
      } else {
        const commit = await repo.git.resolveRef(`refs/heads/${given}`);
        if (commit) sha = (await repo.git.readCommit(commit))?.tree;
      }
      if (!sha) throw notFound();
      const recursive =
        req.query.recursive !== undefined &&
        req.query.recursive !== '' &&
        req.query.recursive !== '0' &&
        req.query.recursive !== 'false';
      const api = `${this.objects.urls.api}/repos/${repo.owner}/${repo.name}`;
      const tree: Json[] = [];
      const walk = async (treeSha: string, prefix: string) => {
        for (const e of await repo.git.lsTree(treeSha, { sizes: true })) {
          const p = prefix ? `${prefix}/${e.path}` : e.path;
          tree.push({
            path: p,
            mode: e.mode,
            type: e.type,
            sha: e.sha,
            ...(e.size !== undefined ? { size: e.size } : {}),
            url: `${api}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`,
          });
          if (recursive && e.type === 'tree') await walk(e.sha, p);
        }
      };
      await walk(sha, '');
      return {
        status: 200,
        body: { sha, url: `${api}/git/trees/${sha}`, tree, truncated: false },
      };
    },

    'git/create-tree': async (repo, req) => {
      const baseTree: string | undefined = req.body.base_tree;
      if (
        baseTree !== undefined &&
        (await repo.git.objectType(baseTree)) !== 'tree'
      ) {
        throw new HttpError(
          422,
          `base_tree ${baseTree} is not a tree (pass the sha of a tree, not of a commit)`,
        );
      }
      const changes: TreeChange[] = [];
      for (const item of req.body.tree as Json[]) {
        const p = checkTreePath(item.path);
        const type = MODE_TYPES[item.mode];
        if (item.type !== undefined && item.type !== type) {
          throw new HttpError(
            422,
            `tree.mode ${item.mode} does not fit tree.type ${item.type} (at "${p}")`,
          );
        }
        const hasSha = 'sha' in item;
        const hasContent = item.content !== undefined;
        if (hasSha && hasContent) {
          throw new HttpError(
            422,
            `Must supply either tree.sha or tree.content, not both (at "${p}")`,
          );
        }
        if (!hasSha && !hasContent)
          throw new HttpError(
            422,
            `Must supply either tree.sha or tree.content (at "${p}")`,
          );
        if (hasContent) {
          if (type !== 'blob')
            throw new HttpError(
              422,
              `tree.content needs a blob mode (at "${p}")`,
            );
          changes.push({
            path: p,
            mode: item.mode,
            type,
            sha: await repo.git.writeBlob(Buffer.from(item.content, 'utf8')),
          });
          continue;
        }
        if (
          item.sha !== null &&
          type !== 'commit' &&
          (await repo.git.objectType(item.sha)) !== type
        ) {
          throw new HttpError(
            422,
            `tree.sha ${item.sha} is not a valid ${type} (at "${p}")`,
          );
        }
        changes.push({ path: p, mode: item.mode, type, sha: item.sha });
      }
      const sha = await repo.git.writeTree(baseTree, changes);
      const api = `${this.objects.urls.api}/repos/${repo.owner}/${repo.name}`;
      const tree = (await repo.git.lsTree(sha)).map(e => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.size !== undefined ? { size: e.size } : {}),
        url: `${api}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`,
      }));
      return {
        status: 201,
        body: { sha, url: `${api}/git/trees/${sha}`, tree, truncated: false },
      };
    },

    'git/create-commit': async (repo, req) => {
      const { message, tree, parents = [], author, committer } = req.body;
      if ((await repo.git.objectType(tree)) !== 'tree')
        throw new HttpError(422, 'Tree SHA does not exist');
      for (const parent of parents) {
        if ((await repo.git.objectType(parent)) !== 'commit') {
          throw new HttpError(
            422,
            'Parent SHA does not exist or is not a commit object',
          );
        }
      }
      const me = {
        name: req.user,
        email: `${req.user}@users.noreply.github-local`,
      };
      const authorId = author ?? me;
      const sha = await repo.git.commitTree({
        tree,
        parents,
        message,
        author: authorId,
        committer: committer ?? authorId,
      });
      return {
        status: 201,
        body: this.objects.gitCommit(
          repo.owner,
          repo.name,
          (await repo.git.readCommit(sha))!,
        ),
      };
    },

    'git/get-commit': async (repo, req) => {
      const commit = await this.commitOrThrow(repo, req.params.commit_sha);
      return {
        status: 200,
        body: this.objects.gitCommit(repo.owner, repo.name, commit),
      };
    },

    'git/get-ref': async (repo, req) => {
      const ref = `refs/${req.params.ref}`;
      const sha = await repo.git.resolveRef(ref);
      if (!sha || !(await repo.git.isValidRefName(ref))) throw notFound();
      return {
        status: 200,
        body: this.objects.gitRef(repo.owner, repo.name, ref, sha),
      };
    },

    'git/create-ref': async (repo, req) => {
      const { ref, sha } = req.body as { ref: string; sha: string };
      if (
        !ref.startsWith('refs/') ||
        ref.split('/').length < 3 ||
        !(await repo.git.isValidRefName(ref))
      ) {
        throw new HttpError(
          422,
          `Reference name "${ref}" is not valid: it must start with "refs/" and have at least two slashes`,
        );
      }
      if (!SHA_RE.test(sha) || (await repo.git.objectType(sha)) !== 'commit') {
        throw new HttpError(422, 'Object does not exist');
      }
      return repo.lock.run(async () => {
        if (!(await repo.git.compareAndSwapRef(ref, sha, ZERO_SHA))) {
          throw new HttpError(422, 'Reference already exists');
        }
        return {
          status: 201,
          body: this.objects.gitRef(repo.owner, repo.name, ref, sha),
        };
      });
    },

    'git/update-ref': async (repo, req) => {
      const ref = `refs/${req.params.ref}`;
      const { sha, force = false } = req.body as {
        sha: string;
        force?: boolean;
      };
      if ((await repo.git.objectType(sha)) !== 'commit')
        throw new HttpError(422, 'Object does not exist');
      return repo.lock.run(async () => {
        const current = await repo.git.resolveRef(ref);
        if (!current) throw new HttpError(422, 'Reference does not exist');
        if (!force && !(await repo.git.isAncestor(current, sha))) {
          throw new HttpError(422, 'Update is not a fast forward');
        }
        if (!(await repo.git.compareAndSwapRef(ref, sha, current))) {
          throw new HttpError(422, 'Reference cannot be updated');
        }
        return {
          status: 200,
          body: this.objects.gitRef(repo.owner, repo.name, ref, sha),
        };
      });
    },

    'git/delete-ref': async (repo, req) => {
      const ref = `refs/${req.params.ref}`;
      return repo.lock.run(async () => {
        const current = await repo.git.resolveRef(ref);
        if (!current || !(await repo.git.deleteRef(ref, current))) {
          throw new HttpError(422, 'Reference does not exist');
        }
        // Like GitHub: deleting a pull request's head branch closes the pull request.
        if (ref.startsWith('refs/heads/')) {
          const branch = ref.slice('refs/heads/'.length);
          let changed = false;
          for (const pr of repo.pulls) {
            if (pr.state === 'open' && pr.head === branch) {
              Object.assign(pr, {
                state: 'closed',
                closedAt: now(),
                updatedAt: now(),
                headShaAtClose: current,
              });
              changed = true;
            }
          }
          if (changed) await this.store.savePulls(repo);
        }
        return { status: 204 };
      });
    },

    'pulls/list': async (repo, req) => {
      const state = req.query.state ?? 'open';
      let pulls = repo.pulls.filter(p => state === 'all' || p.state === state);
      if (req.query.head) {
        const branch = this.headBranch(repo, req.query.head);
        pulls = pulls.filter(p => p.head === branch);
      }
      if (req.query.base) pulls = pulls.filter(p => p.base === req.query.base);
      const direction = req.query.direction ?? 'desc';
      pulls = [...pulls].sort((a, b) =>
        direction === 'asc' ? a.number - b.number : b.number - a.number,
      );
      const { items, headers } = paginate(pulls, req);
      const body = [];
      for (const pr of items) body.push(await this.pullJson(repo, pr, false));
      return { status: 200, body, headers };
    },

    'pulls/list-files': async (repo, req) => {
      const pr = repo.pulls.find(
        p => p.number === Number(req.params.pull_number),
      );
      if (!pr) throw notFound();
      const { headSha, base } = await this.pullRange(repo, pr);
      const files: Json[] = [];
      if (headSha !== ZERO_SHA && base) {
        const api = `${this.objects.urls.api}/repos/${repo.owner}/${repo.name}`;
        const html = `${this.objects.urls.html}/${repo.owner}/${repo.name}`;
        // -z: NUL-separated; renames carry the old and the new name.
        const statusOut = (
          await repo.git.git([
            'diff',
            '--name-status',
            '-z',
            '-M',
            base,
            headSha,
          ])
        ).split('\0');
        const statuses: Record<string, string> = {
          A: 'added',
          D: 'removed',
          M: 'modified',
          R: 'renamed',
          C: 'copied',
          T: 'changed',
        };
        for (let i = 0; i < statusOut.length - 1;) {
          const code = statusOut[i++];
          if (!code) break;
          const renamed = code[0] === 'R' || code[0] === 'C';
          const previous = renamed ? statusOut[i++] : undefined;
          const filename = statusOut[i++];
          const removed = code[0] === 'D';
          const blob = removed
            ? await repo.git.entryAt(base, filename)
            : await repo.git.entryAt(headSha, filename);
          const at = removed ? base : headSha;
          const numstat = (
            await repo.git.git([
              'diff',
              '--numstat',
              '-M',
              base,
              headSha,
              '--',
              ...(previous ? [previous] : []),
              filename,
            ])
          ).split('\t');
          const binary = numstat[0] === '-';
          const additions = binary ? 0 : Number(numstat[0]) || 0;
          const deletions = binary ? 0 : Number(numstat[1]) || 0;
          const diff = binary
            ? undefined
            : await repo.git.git([
                'diff',
                '--no-color',
                '-M',
                base,
                headSha,
                '--',
                ...(previous ? [previous] : []),
                filename,
              ]);
          // GitHub's patch starts at the first hunk (no diff header).
          const hunks =
            diff && diff.includes('\n@@')
              ? diff.slice(diff.indexOf('\n@@') + 1).replace(/\n$/, '')
              : undefined;
          const encoded = filename.split('/').map(encodeURIComponent).join('/');
          files.push({
            sha: blob?.sha ?? null,
            filename,
            status: statuses[code[0]] ?? 'modified',
            additions,
            deletions,
            changes: additions + deletions,
            blob_url: `${html}/blob/${at}/${encoded}`,
            raw_url: `${html}/raw/${at}/${encoded}`,
            contents_url: `${api}/contents/${encoded}?ref=${at}`,
            ...(hunks ? { patch: hunks } : {}),
            ...(previous ? { previous_filename: previous } : {}),
          });
        }
      }
      const { items, headers } = paginate(files, req);
      return { status: 200, body: items, headers };
    },

    'pulls/create': async (repo, req) => {
      const { title, head, base, body = null, draft = false } = req.body;
      if (title === undefined) {
        throw validationFailed([
          { resource: 'PullRequest', field: 'title', code: 'missing_field' },
        ]);
      }
      const branch = this.headBranch(repo, head);
      return repo.lock.run(async () => {
        const baseSha = await repo.git.resolveRef(`refs/heads/${base}`);
        if (!baseSha)
          throw validationFailed([
            { resource: 'PullRequest', field: 'base', code: 'invalid' },
          ]);
        const headSha = branch
          ? await repo.git.resolveRef(`refs/heads/${branch}`)
          : undefined;
        if (!branch || !headSha)
          throw validationFailed([
            { resource: 'PullRequest', field: 'head', code: 'invalid' },
          ]);
        if (
          repo.pulls.some(
            p => p.state === 'open' && p.head === branch && p.base === base,
          )
        ) {
          throw validationFailed([
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `A pull request already exists for ${repo.owner}:${branch}.`,
            },
          ]);
        }
        if (await repo.git.isAncestor(headSha, baseSha)) {
          throw validationFailed([
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `No commits between ${base} and ${branch}`,
            },
          ]);
        }
        const id = this.store.newPullId();
        const number =
          repo.pulls.reduce((max, p) => Math.max(max, p.number), 0) + 1;
        const pr: PullRecord = {
          number,
          id,
          title,
          body,
          state: 'open',
          draft,
          head: branch,
          base,
          user: req.user,
          labels: [],
          requestedReviewers: [],
          requestedTeams: [],
          createdAt: now(),
          updatedAt: now(),
          closedAt: null,
          mergedAt: null,
          mergeCommitSha: null,
        };
        repo.pulls.push(pr);
        await this.store.savePulls(repo);
        return { status: 201, body: await this.pullJson(repo, pr, true) };
      });
    },

    'pulls/get': async (repo, req) => {
      const pr = repo.pulls.find(
        p => p.number === Number(req.params.pull_number),
      );
      if (!pr) throw notFound();
      return { status: 200, body: await this.pullJson(repo, pr, true) };
    },

    'pulls/update': async (repo, req) => {
      return repo.lock.run(async () => {
        const pr = repo.pulls.find(
          p => p.number === Number(req.params.pull_number),
        );
        if (!pr) throw notFound();
        const { title, body, state, base } = req.body;
        if (
          base !== undefined &&
          !(await repo.git.resolveRef(`refs/heads/${base}`))
        ) {
          throw validationFailed([
            { resource: 'PullRequest', field: 'base', code: 'invalid' },
          ]);
        }
        if (state === 'open' && pr.state === 'closed') {
          if (pr.mergedAt)
            throw new HttpError(
              422,
              'A merged pull request cannot be reopened',
            );
          if (!(await repo.git.resolveRef(`refs/heads/${pr.head}`))) {
            throw new HttpError(
              422,
              'The head branch of this pull request was deleted',
            );
          }
          Object.assign(pr, {
            state: 'open',
            closedAt: null,
            headShaAtClose: undefined,
          });
        } else if (state === 'closed' && pr.state === 'open') {
          Object.assign(pr, { state: 'closed', closedAt: now() });
        }
        if (title !== undefined) pr.title = title;
        if (body !== undefined) pr.body = body;
        if (base !== undefined) pr.base = base;
        pr.updatedAt = now();
        await this.store.savePulls(repo);
        return { status: 200, body: await this.pullJson(repo, pr, true) };
      });
    },

    'pulls/merge': async (repo, req) => {
      return repo.lock.run(async () => {
        const pr = repo.pulls.find(
          p => p.number === Number(req.params.pull_number),
        );
        if (!pr) throw notFound();
        if (pr.state !== 'open')
          throw new HttpError(405, 'Pull Request is not mergeable');
        // GitHub: a draft is merged only after it is marked ready for review.
        if (pr.draft) throw new HttpError(405, 'Pull Request is still a draft');
        const baseRef = `refs/heads/${pr.base}`;
        const headRef = `refs/heads/${pr.head}`;
        const baseSha = await repo.git.resolveRef(baseRef);
        const headSha = await repo.git.resolveRef(headRef);
        if (!baseSha || !headSha)
          throw new HttpError(405, 'Pull Request is not mergeable');
        if (req.body?.sha && req.body.sha !== headSha) {
          throw new HttpError(
            409,
            'Head branch was modified. Review and try the merge again.',
          );
        }
        const tree = await repo.git.mergeTree(baseSha, headSha);
        if (!tree) throw new HttpError(405, 'Pull Request is not mergeable');
        const method = req.body?.merge_method ?? 'merge';
        const title =
          req.body?.commit_title ??
          (method === 'squash'
            ? `${pr.title} (#${pr.number})`
            : `Merge pull request #${pr.number} from ${repo.owner}/${pr.head}`);
        const message =
          req.body?.commit_message ??
          (method === 'squash' ? (pr.body ?? '') : pr.title);
        const me = {
          name: req.user,
          email: `${req.user}@users.noreply.github-local`,
        };
        const sha = await repo.git.commitTree({
          tree,
          parents: method === 'merge' ? [baseSha, headSha] : [baseSha],
          message: `${title}\n\n${message}`.trimEnd(),
          author: me,
          committer: me,
        });
        if (!(await repo.git.compareAndSwapRef(baseRef, sha, baseSha))) {
          throw new HttpError(
            409,
            'Base branch was modified. Review and try the merge again.',
          );
        }
        Object.assign(pr, {
          state: 'closed',
          mergedAt: now(),
          closedAt: now(),
          updatedAt: now(),
          mergeCommitSha: sha,
          headShaAtClose: headSha,
        });
        // delete_branch_on_merge is on for local repositories
        await repo.git.deleteRef(headRef, headSha);
        await this.store.savePulls(repo);
        return {
          status: 200,
          body: {
            sha,
            merged: true,
            message: 'Pull Request successfully merged',
          },
        };
      });
    },

    'pulls/request-reviewers': async (repo, req) => {
      return repo.lock.run(async () => {
        const pr = repo.pulls.find(
          p => p.number === Number(req.params.pull_number),
        );
        if (!pr) throw notFound();
        const reviewers: string[] = req.body.reviewers ?? [];
        const teams: string[] = req.body.team_reviewers ?? [];
        if (reviewers.some(r => r.toLowerCase() === pr.user.toLowerCase())) {
          throw new HttpError(
            422,
            'Review cannot be requested from pull request author.',
          );
        }
        pr.requestedReviewers = [
          ...new Set([...pr.requestedReviewers, ...reviewers]),
        ];
        pr.requestedTeams = [...new Set([...pr.requestedTeams, ...teams])];
        pr.updatedAt = now();
        await this.store.savePulls(repo);
        return { status: 201, body: await this.pullJson(repo, pr, false) };
      });
    },

    'pulls/list-reviews': async (repo, req) => {
      const pr = repo.pulls.find(
        p => p.number === Number(req.params.pull_number),
      );
      if (!pr) throw notFound();
      const { items, headers } = paginate(pr.reviews ?? [], req);
      return {
        status: 200,
        body: items.map(r => this.objects.review(repo.owner, repo.name, pr, r)),
        headers,
      };
    },

    'pulls/create-review': async (repo, req) => {
      return repo.lock.run(async () => {
        const pr = repo.pulls.find(
          p => p.number === Number(req.params.pull_number),
        );
        if (!pr) throw notFound();
        const { event, body = '', commit_id: commitId } = req.body;
        if (pr.state !== 'open') {
          // GitHub's 422 for reviews lists plain messages (validation-error-simple).
          throw new HttpError(422, 'Unprocessable Entity', [
            'Can not review a closed pull request',
          ]);
        }
        if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && !body) {
          throw new HttpError(422, 'Unprocessable Entity', [
            `Review body is required for event ${event}`,
          ]);
        }
        const head =
          (await repo.git.resolveRef(`refs/heads/${pr.head}`)) ?? ZERO_SHA;
        const states: Record<string, ReviewRecord['state']> = {
          APPROVE: 'APPROVED',
          REQUEST_CHANGES: 'CHANGES_REQUESTED',
          COMMENT: 'COMMENTED',
        };
        const review: ReviewRecord = {
          id: this.store.newPullId(),
          user: req.user,
          state: event ? states[event] : 'PENDING',
          body,
          commitId: commitId ?? head,
          ...(event ? { submittedAt: now() } : {}),
        };
        (pr.reviews ??= []).push(review);
        // A submitted review takes the reviewer off the requested list, as on GitHub.
        if (event)
          pr.requestedReviewers = pr.requestedReviewers.filter(
            u => u !== req.user,
          );
        pr.updatedAt = now();
        await this.store.savePulls(repo);
        return {
          status: 200,
          body: this.objects.review(repo.owner, repo.name, pr, review),
        };
      });
    },

    'issues/add-labels': async (repo, req) => {
      return repo.lock.run(async () => {
        const pr = repo.pulls.find(
          p => p.number === Number(req.params.issue_number),
        );
        if (!pr) throw notFound();
        let raw: Json[] = req.body.labels ?? [];
        if (Array.isArray(req.body)) raw = req.body;
        else if (typeof req.body === 'string') raw = [req.body];
        const names: string[] = raw.map((l: Json) =>
          typeof l === 'string' ? l : l.name,
        );
        pr.labels = [...new Set([...pr.labels, ...names])];
        pr.updatedAt = now();
        await this.store.savePulls(repo);
        return {
          status: 200,
          body: pr.labels.map(name => {
            if (!repo.labels.has(name))
              repo.labels.set(name, repo.id * 1000 + repo.labels.size + 1);
            return this.objects.label(
              repo.owner,
              repo.name,
              name,
              repo.labels.get(name)!,
            );
          }),
        };
      });
    },
  };
}

/** Safe join for the HTML pages (never leaves the repository's tree). */
export function cleanRepoPath(p: string): string | undefined {
  const normal = path.posix.normalize(`/${p}`).slice(1);
  return normal.split('/').some(s => s === '..') ? undefined : normal;
}
