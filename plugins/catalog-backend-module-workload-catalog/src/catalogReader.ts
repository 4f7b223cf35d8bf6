/*
 * Reads the leaves of the catalog repo through GitHub's API, paying for what changed only:
 *
 * - the base branch (1 REST call), conditional: an unchanged branch answers 304 Not
 *   Modified, which GitHub does not count against the rate limit;
 * - its tree when the branch's tree moved (1 call, recursive);
 * - the leaves whose blob sha is new, in GraphQL batches of 100 (`object(oid:)` aliases);
 *   a blob text is never read twice;
 * - the open pull requests, page by page (100 a page, following the `Link` header's
 *   rel="next"), each page conditional (304 when unchanged);
 * - for a workload that exists only in a pull request, its leaf on the pull request's head
 *   (`object(expression: "sha:path")`, batched the same way, cached by head sha).
 *
 * So a refresh of an unchanged repository is the branch and the pages of pull requests,
 * all answered 304.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Octokit } from '@octokit/rest';
import type { CatalogRepoInfo, LeafFile } from './leafEntity';
import { leafPathMatcher, leafPathOfBranch } from './leafPathMatcher';

export interface CatalogSnapshot {
  /** The base branch's commit. */
  baseSha: string;
  /** Leaves on the base branch, then those only in open pull requests. */
  files: LeafFile[];
  /** Open pull requests whose leaf could not be read (the reason). */
  problems: string[];
}

/** Objects read per GraphQL query (aliases of `object`). */
export const BLOBS_PER_QUERY = 100;

const status = (error: unknown) => (error as { status?: number })?.status;
const SHA_RE = /^[0-9a-f]{40}$/;

interface OpenPullInfo {
  number: number;
  url: string;
  headRef: string;
  headSha: string;
}

/** One page of open pull requests as last answered, with its ETag and next page. */
interface PullPage {
  etag?: string;
  pulls: OpenPullInfo[];
  next?: string;
}

/** The URL of rel="next" in a Link header, if any. */
export function nextLink(link: string | undefined): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^<>]+)>\s*;\s*rel="([^"]+)"/.exec(part);
    if (m && m[2].split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

export class CatalogReader {
  private readonly isLeaf: (path: string) => unknown;
  private branch?: { etag?: string; sha: string; treeSha: string };
  private tree?: { sha: string; leaves: Array<{ path: string; sha: string }> };
  /** Leaf texts by blob sha (kept for the blobs of the last read). */
  private blobs = new Map<string, string>();
  /** Proposed leaves by `${path}@${headSha}`. */
  private proposed = new Map<string, { sha: string; text: string } | null>();
  /** Pages of open pull requests by URL. */
  private pages = new Map<string, PullPage>();

  constructor(
    private readonly repo: CatalogRepoInfo,
    private readonly logger: LoggerService,
  ) {
    this.isLeaf = leafPathMatcher(repo.leafPathPattern);
  }

  /**
   * A conditional GET: with the ETag of the last answer, a 304 returns undefined (the
   * caller keeps what it had).
   */
  private async conditionalGet(
    octokit: Octokit,
    route: string,
    params: Record<string, unknown>,
    etag: string | undefined,
  ): Promise<{ data: any; etag?: string; link?: string } | undefined> {
    try {
      const response = await octokit.request(route, {
        ...params,
        headers: etag ? { 'if-none-match': etag } : {},
      });
      return {
        data: response.data,
        etag: response.headers.etag,
        link: response.headers.link,
      };
    } catch (error) {
      if (status(error) === 304) return undefined;
      throw error;
    }
  }

  /** Objects by GraphQL `object(...)` argument, BLOBS_PER_QUERY a query. */
  private async readObjects(
    octokit: Octokit,
    args: Array<{ oid: string } | { expression: string }>,
  ): Promise<Array<{ oid: string; text: string } | null>> {
    const out: Array<{ oid: string; text: string } | null> = [];
    for (let i = 0; i < args.length; i += BLOBS_PER_QUERY) {
      const batch = args.slice(i, i + BLOBS_PER_QUERY);
      const variables: Record<string, string> = {
        owner: this.repo.owner,
        repo: this.repo.repo,
      };
      const declarations = ['$owner: String!', '$repo: String!'];
      const fields = batch.map((arg, j) => {
        if ('oid' in arg) {
          variables[`o${j}`] = arg.oid;
          declarations.push(`$o${j}: GitObjectID!`);
          return `o${j}: object(oid: $o${j}) { ...LeafBlob }`;
        }
        variables[`o${j}`] = arg.expression;
        declarations.push(`$o${j}: String!`);
        return `o${j}: object(expression: $o${j}) { ...LeafBlob }`;
      });
      const data: {
        repository: Record<
          string,
          { oid: string; text: string | null; isBinary: boolean } | null
        >;
      } = await octokit.graphql(
        `query WorkloadCatalogLeaves(${declarations.join(', ')}) {
          repository(owner: $owner, name: $repo) { ${fields.join('\n')} }
        }
        fragment LeafBlob on Blob { oid text isBinary }`,
        variables,
      );
      batch.forEach((_arg, j) => {
        const blob = data.repository[`o${j}`];
        out.push(
          blob && blob.oid && blob.text !== null && !blob.isBinary
            ? { oid: blob.oid, text: blob.text }
            : null,
        );
      });
    }
    return out;
  }

  /** The open pull requests into the base branch, every page, each conditional. */
  private async openPulls(octokit: Octokit): Promise<OpenPullInfo[]> {
    const { owner, repo, baseBranch } = this.repo;
    const pages = new Map<string, PullPage>();
    const all: OpenPullInfo[] = [];
    let url: string | undefined =
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/pulls?state=open&base=${encodeURIComponent(baseBranch)}&per_page=100`;
    while (url && !pages.has(url)) {
      const known = this.pages.get(url);
      const answer = await this.conditionalGet(
        octokit,
        `GET ${url}`,
        {},
        known?.etag,
      );
      let page: PullPage;
      if (answer) {
        page = {
          etag: answer.etag,
          next: nextLink(answer.link),
          pulls: (answer.data as any[]).map(p => ({
            number: p.number,
            url: p.html_url,
            headRef: p.head.ref,
            headSha: p.head.sha,
          })),
        };
      } else {
        page = known!;
      }
      pages.set(url, page);
      all.push(...page.pulls);
      url = page.next;
    }
    this.pages = pages;
    return all;
  }

  async read(
    octokit: Octokit,
    options: { includeProposed: boolean },
  ): Promise<CatalogSnapshot> {
    const { owner, repo, baseBranch } = this.repo;
    const branch = await this.conditionalGet(
      octokit,
      'GET /repos/{owner}/{repo}/branches/{branch}',
      { owner, repo, branch: baseBranch },
      this.branch?.etag,
    );
    if (branch) {
      this.branch = {
        etag: branch.etag,
        sha: branch.data.commit.sha,
        treeSha: branch.data.commit.commit.tree.sha,
      };
    }
    const { sha: baseSha, treeSha } = this.branch!;
    if (this.tree?.sha !== treeSha) {
      const { data } = await octokit.rest.git.getTree({
        owner,
        repo,
        tree_sha: treeSha,
        recursive: 'true',
      });
      if (data.truncated) {
        this.logger.warn(
          `The tree of ${this.repo.webUrl} (${baseBranch}) is too large for one GitHub call and was truncated: some leaves may be missing`,
        );
      }
      this.tree = {
        sha: treeSha,
        leaves: data.tree
          .filter(
            e => e.type === 'blob' && e.path && e.sha && this.isLeaf(e.path),
          )
          .map(e => ({ path: e.path!, sha: e.sha! })),
      };
    }

    const missing = [
      ...new Set(
        this.tree.leaves.map(l => l.sha).filter(sha => !this.blobs.has(sha)),
      ),
    ].filter(sha => SHA_RE.test(sha));
    const read = await this.readObjects(
      octokit,
      missing.map(oid => ({ oid })),
    );
    missing.forEach((sha, i) => this.blobs.set(sha, read[i]?.text ?? ''));

    const blobs = new Map<string, string>();
    const files: LeafFile[] = [];
    for (const leaf of this.tree.leaves) {
      const text = this.blobs.get(leaf.sha) ?? '';
      blobs.set(leaf.sha, text);
      files.push({ ...leaf, text, source: 'merged', ref: baseBranch });
    }
    this.blobs = blobs;

    const problems: string[] = [];
    const pulls = await this.openPulls(octokit);
    const byPath = new Map(files.map(f => [f.path, f]));
    const proposed = new Map<string, { sha: string; text: string } | null>();
    const wanted: Array<{ pull: OpenPullInfo; path: string; key: string }> = [];
    for (const pull of pulls) {
      const path = leafPathOfBranch(
        pull.headRef,
        this.repo.branchPrefix,
        this.repo.leafPathPattern,
      );
      if (!path || !this.isLeaf(path)) continue;
      const merged = byPath.get(path);
      if (merged) {
        merged.openPull ??= { number: pull.number, url: pull.url };
        continue;
      }
      if (!options.includeProposed || !SHA_RE.test(pull.headSha)) continue;
      wanted.push({ pull, path, key: `${path}@${pull.headSha}` });
    }
    const unread = wanted.filter(w => !this.proposed.has(w.key));
    const contents = await this.readObjects(
      octokit,
      unread.map(w => ({ expression: `${w.pull.headSha}:${w.path}` })),
    );
    unread.forEach((w, i) =>
      this.proposed.set(
        w.key,
        contents[i] ? { sha: contents[i]!.oid, text: contents[i]!.text } : null,
      ),
    );
    for (const { pull, path, key } of wanted) {
      if (byPath.has(path)) continue; // two pull requests for one leaf: the first
      const content = this.proposed.get(key) ?? null;
      proposed.set(key, content);
      if (!content) {
        problems.push(
          `pull request #${pull.number} (${pull.headRef}) has no leaf at ${path}`,
        );
        continue;
      }
      const file: LeafFile = {
        path,
        sha: content.sha,
        text: content.text,
        source: 'proposed',
        ref: pull.headRef,
        openPull: { number: pull.number, url: pull.url },
      };
      byPath.set(path, file);
      files.push(file);
    }
    this.proposed = proposed;
    return { baseSha, files, problems };
  }
}
