/*
 * Reads the leaves of the catalog repo through GitHub's REST API, with as few calls as it
 * can: the base branch (1 call), its tree when the branch moved (1 call, recursive), each
 * new or changed leaf by blob sha (1 call each, cached), the open pull requests (1 call a
 * page) and, for a workload that exists only in a pull request, its leaf on the pull
 * request's head (1 call each, cached by head sha).
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

const status = (error: unknown) => (error as { status?: number })?.status;

export class CatalogReader {
  private readonly isLeaf: (path: string) => unknown;
  private tree?: { sha: string; leaves: Array<{ path: string; sha: string }> };
  /** Leaf texts by blob sha (kept for the blobs of the last read). */
  private blobs = new Map<string, string>();
  /** Proposed leaves by `${path}@${headSha}`. */
  private proposed = new Map<string, { sha: string; text: string } | null>();

  constructor(
    private readonly repo: CatalogRepoInfo,
    private readonly logger: LoggerService,
  ) {
    this.isLeaf = leafPathMatcher(repo.leafPathPattern);
  }

  async read(
    octokit: Octokit,
    options: { includeProposed: boolean },
  ): Promise<CatalogSnapshot> {
    const { owner, repo, baseBranch } = this.repo;
    const branch = await octokit.rest.repos.getBranch({
      owner,
      repo,
      branch: baseBranch,
    });
    const baseSha = branch.data.commit.sha;
    const treeSha = branch.data.commit.commit.tree.sha;
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

    const blobs = new Map<string, string>();
    const files: LeafFile[] = [];
    for (const leaf of this.tree.leaves) {
      let text = this.blobs.get(leaf.sha);
      if (text === undefined) {
        const { data } = await octokit.rest.git.getBlob({
          owner,
          repo,
          file_sha: leaf.sha,
        });
        text = Buffer.from(data.content, 'base64').toString('utf8');
      }
      blobs.set(leaf.sha, text);
      files.push({ ...leaf, text, source: 'merged', ref: baseBranch });
    }
    this.blobs = blobs;

    const problems: string[] = [];
    const pulls = await octokit.paginate(octokit.rest.pulls.list, {
      owner,
      repo,
      state: 'open',
      base: baseBranch,
      per_page: 100,
    });
    const byPath = new Map(files.map(f => [f.path, f]));
    const proposed = new Map<string, { sha: string; text: string } | null>();
    for (const pull of pulls) {
      const path = leafPathOfBranch(
        pull.head.ref,
        this.repo.branchPrefix,
        this.repo.leafPathPattern,
      );
      if (!path || !this.isLeaf(path)) continue;
      const openPull = { number: pull.number, url: pull.html_url };
      const merged = byPath.get(path);
      if (merged) {
        merged.openPull ??= openPull;
        continue;
      }
      if (!options.includeProposed) continue;
      const key = `${path}@${pull.head.sha}`;
      let content = this.proposed.get(key);
      if (content === undefined) {
        try {
          const { data } = await octokit.rest.repos.getContent({
            owner,
            repo,
            path,
            ref: pull.head.sha,
          });
          content =
            !Array.isArray(data) && data.type === 'file' && 'content' in data
              ? {
                  sha: data.sha,
                  text: Buffer.from(data.content, 'base64').toString('utf8'),
                }
              : null;
        } catch (error) {
          if (status(error) !== 404) throw error;
          content = null;
        }
      }
      proposed.set(key, content);
      if (!content) {
        problems.push(
          `pull request #${pull.number} (${pull.head.ref}) has no leaf at ${path}`,
        );
        continue;
      }
      const file: LeafFile = {
        path,
        sha: content.sha,
        text: content.text,
        source: 'proposed',
        ref: pull.head.ref,
        openPull,
      };
      byPath.set(path, file);
      files.push(file);
    }
    this.proposed = proposed;
    return { baseSha, files, problems };
  }
}
