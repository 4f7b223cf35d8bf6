/*
 * GitHub's response objects, built from the server's real state. The big, mostly-URL
 * objects (users, repositories) start from the examples in GitHub's own description with
 * every URL pointed at this server; everything that carries state is set explicitly.
 */
import type { CommitInfo } from './git';

type Json = any;

/** The committer of the commits GitHub makes itself (its web flow). */
export const GITHUB_WEB_FLOW = { name: 'GitHub', email: 'noreply@github.com' };

export interface Urls {
  /** REST base, e.g. http://127.0.0.1:1234/api/v3 */
  api: string;
  /** Web base, e.g. http://127.0.0.1:1234 */
  html: string;
}

/** A review of a pull request (`pulls/create-review`). */
export interface ReviewRecord {
  id: number;
  user: string;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, or PENDING (no event given). */
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING';
  body: string;
  commitId: string;
  /** Unset while PENDING. */
  submittedAt?: string;
}

export interface PullRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  head: string;
  base: string;
  /** Head sha when the PR was closed or merged (the branch may be gone then). */
  headShaAtClose?: string;
  user: string;
  labels: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  /** Reviews, oldest first (absent in data written before reviews existed). */
  reviews?: ReviewRecord[];
}

/**
 * An opaque node id in GitHub's style, stable for an object (as GitHub's are: the GraphQL
 * API finds objects by them, and unchanged answers keep their ETag).
 */
export function nodeId(kind: string, id: string | number): string {
  // eslint-disable-next-line redos/no-vulnerable -- base64 of the server's own ids
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
}

function retarget(value: Json, urls: Urls, from: string, to: string): Json {
  const text = JSON.stringify(value)
    .replaceAll('https://api.github.com', urls.api)
    .replaceAll('https://github.com', urls.html)
    .replaceAll('https://uploads.github.com', urls.html)
    .replaceAll(from, to);
  return JSON.parse(text);
}

export class ObjectBuilder {
  private readonly repoTimes = new Map<string, string>();

  constructor(
    private readonly examples: Record<string, Json>,
    readonly urls: Urls,
  ) {}

  user(login: string, id = 1): Json {
    const base = this.examples['full-repository-default-response'].owner;
    return {
      ...retarget(base, this.urls, '/octocat', `/${login}`),
      login,
      id,
      node_id: nodeId('User', id),
      avatar_url: `${this.urls.html}/${login}.png`,
      type: 'User',
      site_admin: false,
    };
  }

  repository(
    owner: string,
    name: string,
    defaultBranch: string,
    id: number,
  ): Json {
    const ex = { ...this.examples['full-repository-default-response'] };
    for (const k of ['organization', 'parent', 'source', 'template_repository'])
      delete ex[k];
    const repo = retarget(
      ex,
      this.urls,
      'octocat/Hello-World',
      `${owner}/${name}`,
    );
    // One time per repository and server: an unchanged repository answers the same bytes
    // (and ETag) on every call, as on GitHub.
    const key = `${owner}/${name}`.toLowerCase();
    if (!this.repoTimes.has(key))
      this.repoTimes.set(
        key,
        new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      );
    const now = this.repoTimes.get(key)!;
    return {
      ...repo,
      id,
      node_id: nodeId('Repository', id),
      name,
      full_name: `${owner}/${name}`,
      owner: this.user(owner),
      private: true,
      visibility: 'private',
      description: 'Local catalog repository (github-local)',
      fork: false,
      homepage: null,
      mirror_url: null,
      language: null,
      license: null,
      default_branch: defaultBranch,
      clone_url: `${this.urls.html}/${owner}/${name}.git`,
      git_url: `${this.urls.html}/${owner}/${name}.git`,
      ssh_url: `${this.urls.html}/${owner}/${name}.git`,
      svn_url: `${this.urls.html}/${owner}/${name}`,
      topics: [],
      forks_count: 0,
      forks: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      open_issues_count: 0,
      open_issues: 0,
      subscribers_count: 0,
      network_count: 0,
      pushed_at: now,
      created_at: now,
      updated_at: now,
      permissions: {
        admin: true,
        maintain: true,
        push: true,
        triage: true,
        pull: true,
      },
      allow_forking: false,
      delete_branch_on_merge: true,
    };
  }

  private repoApi(owner: string, repo: string) {
    return `${this.urls.api}/repos/${owner}/${repo}`;
  }

  private repoHtml(owner: string, repo: string) {
    return `${this.urls.html}/${owner}/${repo}`;
  }

  gitCommit(owner: string, repo: string, c: CommitInfo): Json {
    const api = this.repoApi(owner, repo);
    return {
      sha: c.sha,
      node_id: nodeId('Commit', c.sha),
      url: `${api}/git/commits/${c.sha}`,
      html_url: `${this.repoHtml(owner, repo)}/commit/${c.sha}`,
      author: c.author,
      committer: c.committer,
      message: c.message.replace(/\n$/, ''),
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      parents: c.parents.map(p => ({
        sha: p,
        url: `${api}/git/commits/${p}`,
        html_url: `${this.repoHtml(owner, repo)}/commit/${p}`,
      })),
      // Commits GitHub makes itself (createCommitOnBranch, as its web flow) are signed by
      // GitHub and shown as verified; others are unsigned.
      verification:
        c.committer.email === GITHUB_WEB_FLOW.email
          ? {
              verified: true,
              reason: 'valid',
              signature: null,
              payload: null,
              verified_at: c.committer.date,
            }
          : {
              verified: false,
              reason: 'unsigned',
              signature: null,
              payload: null,
              verified_at: null,
            },
    };
  }

  /** The `commit` schema (the REST commits API, not the git data API). */
  commit(owner: string, repo: string, c: CommitInfo): Json {
    const api = this.repoApi(owner, repo);
    const git = this.gitCommit(owner, repo, c);
    return {
      url: `${api}/commits/${c.sha}`,
      sha: c.sha,
      node_id: git.node_id,
      html_url: git.html_url,
      comments_url: `${api}/commits/${c.sha}/comments`,
      commit: {
        url: git.url,
        author: c.author,
        committer: c.committer,
        message: git.message,
        comment_count: 0,
        tree: git.tree,
        verification: git.verification,
      },
      author: null,
      committer: null,
      parents: git.parents.map((p: Json) => ({
        sha: p.sha,
        url: `${api}/commits/${p.sha}`,
        html_url: p.html_url,
      })),
    };
  }

  gitRef(owner: string, repo: string, ref: string, sha: string): Json {
    const api = this.repoApi(owner, repo);
    return {
      ref,
      node_id: nodeId('Ref', ref),
      url: `${api}/git/${ref}`,
      object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
    };
  }

  branch(owner: string, repo: string, name: string, c: CommitInfo): Json {
    const api = this.repoApi(owner, repo);
    return {
      name,
      commit: this.commit(owner, repo, c),
      _links: {
        self: `${api}/branches/${name}`,
        html: `${this.repoHtml(owner, repo)}/tree/${name}`,
      },
      protected: false,
      protection: {
        enabled: false,
        required_status_checks: {
          enforcement_level: 'off',
          contexts: [],
          checks: [],
        },
      },
      protection_url: `${api}/branches/${name}/protection`,
    };
  }

  contentFile(
    owner: string,
    repo: string,
    ref: string,
    filePath: string,
    sha: string,
    content: Buffer,
  ): Json {
    const api = this.repoApi(owner, repo);
    const html = `${this.repoHtml(owner, repo)}/blob/${ref}/${filePath}`;
    const self = `${api}/contents/${filePath}?ref=${ref}`;
    return {
      type: 'file',
      encoding: 'base64',
      size: content.length,
      name: filePath.split('/').pop(),
      path: filePath,
      content: content.toString('base64').replace(/.{60}/g, '$&\n'),
      sha,
      url: self,
      git_url: `${api}/git/blobs/${sha}`,
      html_url: html,
      download_url: `${this.repoHtml(owner, repo)}/raw/${ref}/${filePath}`,
      _links: { self, git: `${api}/git/blobs/${sha}`, html },
    };
  }

  contentDirectoryEntry(
    owner: string,
    repo: string,
    ref: string,
    entry: { path: string; sha: string; type: string; size?: number },
  ): Json {
    const api = this.repoApi(owner, repo);
    const types: Record<string, string> = { tree: 'dir', commit: 'submodule' };
    const type = types[entry.type] ?? 'file';
    const html = `${this.repoHtml(owner, repo)}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${entry.path}`;
    const self = `${api}/contents/${entry.path}?ref=${ref}`;
    const git = `${api}/git/${type === 'dir' ? 'trees' : 'blobs'}/${entry.sha}`;
    return {
      type,
      size: entry.size ?? 0,
      name: entry.path.split('/').pop(),
      path: entry.path,
      sha: entry.sha,
      url: self,
      git_url: git,
      html_url: html,
      download_url:
        type === 'file'
          ? `${this.repoHtml(owner, repo)}/raw/${ref}/${entry.path}`
          : null,
      _links: { self, git, html },
    };
  }

  label(owner: string, repo: string, name: string, id: number): Json {
    return {
      id,
      node_id: nodeId('Label', id),
      url: `${this.repoApi(owner, repo)}/labels/${encodeURIComponent(name)}`,
      name,
      description: '',
      color: 'ededed',
      default: false,
    };
  }

  team(org: string, slug: string, id: number): Json {
    return {
      id,
      node_id: nodeId('Team', id),
      url: `${this.urls.api}/orgs/${org}/teams/${slug}`,
      members_url: `${this.urls.api}/orgs/${org}/teams/${slug}/members{/member}`,
      name: slug,
      slug,
      description: null,
      privacy: 'closed',
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      html_url: `${this.urls.html}/orgs/${org}/teams/${slug}`,
      repositories_url: `${this.urls.api}/orgs/${org}/teams/${slug}/repos`,
      parent: null,
      type: 'organization',
    };
  }

  /** A pull request; `full` adds the fields of the single-PR endpoints. */
  pull(
    owner: string,
    repo: string,
    pr: PullRecord,
    refs: { headSha: string; baseSha: string; repository: Json },
    full:
      | {
          commits: number;
          additions: number;
          deletions: number;
          changedFiles: number;
        }
      | undefined,
  ): Json {
    const api = this.repoApi(owner, repo);
    const html = `${this.repoHtml(owner, repo)}/pull/${pr.number}`;
    const side = (ref: string, sha: string) => ({
      label: `${owner}:${ref}`,
      ref,
      sha,
      user: this.user(owner),
      repo: refs.repository,
    });
    const out: Json = {
      url: `${api}/pulls/${pr.number}`,
      id: pr.id,
      node_id: nodeId('PullRequest', pr.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${api}/issues/${pr.number}`,
      commits_url: `${api}/pulls/${pr.number}/commits`,
      review_comments_url: `${api}/pulls/${pr.number}/comments`,
      review_comment_url: `${api}/pulls/comments{/number}`,
      comments_url: `${api}/issues/${pr.number}/comments`,
      statuses_url: `${api}/statuses/${refs.headSha}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: this.user(pr.user),
      body: pr.body,
      labels: pr.labels.map((name, i) =>
        this.label(owner, repo, name, pr.id * 100 + i),
      ),
      milestone: null,
      active_lock_reason: null,
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: pr.closedAt,
      merged_at: pr.mergedAt,
      merge_commit_sha: pr.mergeCommitSha,
      assignee: null,
      assignees: [],
      requested_reviewers: pr.requestedReviewers.map((login, i) =>
        this.user(login, 1000 + i),
      ),
      requested_teams: pr.requestedTeams.map((slug, i) =>
        this.team(owner, slug, 2000 + i),
      ),
      head: side(pr.head, refs.headSha),
      base: side(pr.base, refs.baseSha),
      _links: {
        self: { href: `${api}/pulls/${pr.number}` },
        html: { href: html },
        issue: { href: `${api}/issues/${pr.number}` },
        comments: { href: `${api}/issues/${pr.number}/comments` },
        review_comments: { href: `${api}/pulls/${pr.number}/comments` },
        review_comment: { href: `${api}/pulls/comments{/number}` },
        commits: { href: `${api}/pulls/${pr.number}/commits` },
        statuses: { href: `${api}/statuses/${refs.headSha}` },
      },
      author_association: 'OWNER',
      auto_merge: null,
      draft: pr.draft,
    };
    if (full) {
      Object.assign(out, {
        merged: pr.mergedAt !== null,
        mergeable: pr.state === 'open' ? true : null,
        rebaseable: pr.state === 'open' ? true : null,
        mergeable_state: pr.state === 'open' ? 'clean' : 'unknown',
        merged_by: pr.mergedAt ? this.user(pr.user) : null,
        comments: 0,
        review_comments: 0,
        maintainer_can_modify: false,
        commits: full.commits,
        additions: full.additions,
        deletions: full.deletions,
        changed_files: full.changedFiles,
      });
    }
    return out;
  }

  review(owner: string, repo: string, pr: PullRecord, r: ReviewRecord): Json {
    const api = this.repoApi(owner, repo);
    const html = `${this.repoHtml(owner, repo)}/pull/${pr.number}#pullrequestreview-${r.id}`;
    return {
      id: r.id,
      node_id: nodeId('PullRequestReview', r.id),
      user: this.user(r.user),
      body: r.body,
      state: r.state,
      html_url: html,
      pull_request_url: `${api}/pulls/${pr.number}`,
      _links: {
        html: { href: html },
        pull_request: { href: `${api}/pulls/${pr.number}` },
      },
      ...(r.submittedAt ? { submitted_at: r.submittedAt } : {}),
      commit_id: r.commitId,
      author_association: 'OWNER',
    };
  }

  blob(owner: string, repo: string, sha: string, content: Buffer): Json {
    return {
      sha,
      node_id: nodeId('Blob', sha),
      size: content.length,
      url: `${this.repoApi(owner, repo)}/git/blobs/${sha}`,
      // GitHub wraps base64 content at 60 characters, with a trailing newline.
      content: `${(content.toString('base64').match(/.{1,60}/g) ?? ['']).join('\n')}\n`,
      encoding: 'base64',
    };
  }
}
