/*
 * A bare git repository on disk, driven through git's plumbing commands. Every object the
 * server reports (blobs, trees, commits, refs) is a real git object, so tests can read
 * what a pull request contains with plain `git`.
 */
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const ZERO_SHA = '0'.repeat(40);
const SHA_RE = /^[0-9a-f]{40}$/;

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string = '',
  ) {
    super(message);
  }
}

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO 8601 date; now when not set. */
  date?: string;
}

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  path: string;
  size?: number;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: Required<GitIdentity>;
  committer: Required<GitIdentity>;
  message: string;
}

/** One change to a tree: a path and what it becomes (`null` removes it). */
export interface TreeChange {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  /** An existing object, or null to delete the path. */
  sha: string | null;
}

function gitDate(iso: string | undefined): string {
  const d = iso ? new Date(iso) : new Date();
  if (Number.isNaN(d.getTime())) throw new GitError(`invalid date "${iso}"`);
  return `${Math.floor(d.getTime() / 1000)} +0000`;
}

function isoFromGit(raw: string): string {
  const [secs] = raw.split(' ');
  return new Date(Number(secs) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseIdentity(line: string): Required<GitIdentity> {
  const m = /^(.*) <([^>]*)> (\d+ [+-]\d{4})$/.exec(line);
  if (!m) throw new GitError(`cannot parse identity "${line}"`);
  return { name: m[1], email: m[2], date: isoFromGit(m[3]) };
}

export class GitRepo {
  private constructor(readonly dir: string) {}

  /** Opens a bare repository, creating it (with an empty default branch) when missing. */
  static async open(dir: string, defaultBranch = 'main'): Promise<GitRepo> {
    const repo = new GitRepo(dir);
    try {
      await fs.access(path.join(dir, 'HEAD'));
    } catch {
      await fs.mkdir(dir, { recursive: true });
      await repo.git([
        'init',
        '--quiet',
        '--bare',
        `--initial-branch=${defaultBranch}`,
      ]);
    }
    return repo;
  }

  /** Runs git in the repository; rejects with git's stderr on a non-zero exit. */
  git(
    args: string[],
    input?: string | Buffer,
    env: Record<string, string> = {},
  ): Promise<string> {
    const fullEnv = {
      ...process.env,
      GIT_DIR: this.dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      LC_ALL: 'C',
      ...env,
    };
    if (input === undefined) {
      return new Promise((resolve, reject) => {
        execFile(
          'git',
          args,
          { env: fullEnv, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) => {
            if (error)
              reject(
                new GitError(
                  `git ${args[0]} failed: ${stderr.trim() || error.message}`,
                  stderr,
                ),
              );
            else resolve(stdout);
          },
        );
      });
    }
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, { env: fullEnv });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', d => out.push(d));
      child.stderr.on('data', d => err.push(d));
      child.on('error', reject);
      child.on('close', code => {
        const stderr = Buffer.concat(err).toString();
        if (code === 0) resolve(Buffer.concat(out).toString());
        else
          reject(
            new GitError(`git ${args[0]} failed: ${stderr.trim()}`, stderr),
          );
      });
      child.stdin.end(input);
    });
  }

  /** The object's type, or undefined when it does not exist. */
  async objectType(
    sha: string,
  ): Promise<'blob' | 'tree' | 'commit' | 'tag' | undefined> {
    if (!SHA_RE.test(sha)) return undefined;
    try {
      return (await this.git(['cat-file', '-t', sha])).trim() as any;
    } catch {
      return undefined;
    }
  }

  async writeBlob(content: Buffer): Promise<string> {
    return (await this.git(['hash-object', '-w', '--stdin'], content)).trim();
  }

  async readBlob(sha: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        ['cat-file', 'blob', sha],
        {
          env: { ...process.env, GIT_DIR: this.dir },
          encoding: 'buffer',
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout) =>
          error ? reject(new GitError(`no blob ${sha}`)) : resolve(stdout),
      );
    });
  }

  /** The entries of a tree (one level). */
  async lsTree(treeish: string): Promise<TreeEntry[]> {
    const out = await this.git(['ls-tree', '-l', '-z', treeish]);
    return out
      .split('\0')
      .filter(Boolean)
      .map(line => {
        const [meta, name] = line.split('\t');
        const [mode, type, sha, size] = meta.split(/\s+/);
        return {
          mode,
          type: type as TreeEntry['type'],
          sha,
          path: name,
          size: size === '-' ? undefined : Number(size),
        };
      });
  }

  /** The entry at `path` in a commit or tree, or undefined. */
  async entryAt(
    treeish: string,
    filePath: string,
  ): Promise<TreeEntry | undefined> {
    if (filePath === '') return undefined;
    const dir = path.posix.dirname(filePath);
    const name = path.posix.basename(filePath);
    try {
      const entries = await this.lsTree(
        dir === '.' ? treeish : `${treeish}:${dir}`,
      );
      return entries.find(e => e.path === name);
    } catch {
      return undefined;
    }
  }

  /**
   * A new tree: `base` (or an empty tree) with the changes applied. Paths are split into
   * directories; only the directories on a changed path are rewritten.
   */
  async writeTree(
    base: string | undefined,
    changes: TreeChange[],
  ): Promise<string> {
    interface Node {
      change?: TreeChange;
      children: Map<string, Node>;
    }
    const root: Node = { children: new Map() };
    for (const change of changes) {
      const parts = change.path.split('/');
      let node = root;
      for (const part of parts.slice(0, -1)) {
        let next = node.children.get(part);
        if (!next) {
          next = { children: new Map() };
          node.children.set(part, next);
        }
        node = next;
      }
      const leafName = parts[parts.length - 1];
      const existing = node.children.get(leafName);
      node.children.set(leafName, {
        change,
        children: existing?.children ?? new Map(),
      });
    }
    const build = async (
      treeSha: string | undefined,
      node: Node,
    ): Promise<string | undefined> => {
      const entries = new Map<string, TreeEntry>();
      if (treeSha)
        for (const e of await this.lsTree(treeSha)) entries.set(e.path, e);
      for (const [name, child] of node.children) {
        if (child.change && child.change.type !== 'tree') {
          if (child.change.sha === null) entries.delete(name);
          else
            entries.set(name, {
              ...child.change,
              sha: child.change.sha,
              path: name,
            });
          continue;
        }
        if (
          child.change?.type === 'tree' &&
          child.change.sha !== null &&
          child.children.size === 0
        ) {
          entries.set(name, {
            ...child.change,
            sha: child.change.sha,
            path: name,
          });
          continue;
        }
        if (child.change?.sha === null) {
          entries.delete(name);
          continue;
        }
        const current = entries.get(name);
        const baseSub =
          child.change?.sha ??
          (current?.type === 'tree' ? current.sha : undefined);
        const sub = await build(baseSub, child);
        if (sub === undefined) entries.delete(name);
        else
          entries.set(name, {
            mode: '040000',
            type: 'tree',
            sha: sub,
            path: name,
          });
      }
      if (entries.size === 0 && node !== root) return undefined;
      const input = [...entries.values()]
        .map(e => `${e.mode} ${e.type} ${e.sha}\t${e.path}`)
        .join('\0');
      return (
        await this.git(['mktree', '-z', '--missing'], input ? `${input}\0` : '')
      ).trim();
    };
    return (await build(base, root))!;
  }

  async commitTree(options: {
    tree: string;
    parents: string[];
    message: string;
    author: GitIdentity;
    committer: GitIdentity;
  }): Promise<string> {
    const args = ['commit-tree', options.tree];
    for (const p of options.parents) args.push('-p', p);
    const env = {
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_AUTHOR_DATE: gitDate(options.author.date),
      GIT_COMMITTER_NAME: options.committer.name,
      GIT_COMMITTER_EMAIL: options.committer.email,
      GIT_COMMITTER_DATE: gitDate(options.committer.date),
    };
    return (await this.git([...args, '-F', '-'], options.message, env)).trim();
  }

  async readCommit(sha: string): Promise<CommitInfo | undefined> {
    if ((await this.objectType(sha)) !== 'commit') return undefined;
    const raw = await this.git(['cat-file', 'commit', sha]);
    const split = raw.indexOf('\n\n');
    const header = raw.slice(0, split === -1 ? raw.length : split);
    const message = split === -1 ? '' : raw.slice(split + 2);
    const info: Partial<CommitInfo> = { sha, parents: [] };
    for (const line of header.split('\n')) {
      const space = line.indexOf(' ');
      const key = line.slice(0, space);
      const value = line.slice(space + 1);
      if (key === 'tree') info.tree = value;
      else if (key === 'parent') info.parents!.push(value);
      else if (key === 'author') info.author = parseIdentity(value);
      else if (key === 'committer') info.committer = parseIdentity(value);
    }
    return { ...(info as CommitInfo), message };
  }

  /** Commits reachable from `from` (newest first). */
  async log(from: string, max: number, skip = 0): Promise<string[]> {
    const out = await this.git([
      'rev-list',
      `--max-count=${max}`,
      `--skip=${skip}`,
      from,
    ]);
    return out.split('\n').filter(Boolean);
  }

  /** The sha a fully qualified ref points at, or undefined. */
  async resolveRef(ref: string): Promise<string | undefined> {
    try {
      return (
        (
          await this.git([
            'rev-parse',
            '--verify',
            '--quiet',
            `${ref}^{commit}`,
          ])
        ).trim() || undefined
      );
    } catch {
      return undefined;
    }
  }

  /** A branch name, tag or sha to a commit sha. */
  async resolveCommitish(ref: string): Promise<string | undefined> {
    if (SHA_RE.test(ref))
      return (await this.objectType(ref)) === 'commit' ? ref : undefined;
    return (
      (await this.resolveRef(`refs/heads/${ref}`)) ??
      (await this.resolveRef(`refs/tags/${ref}`))
    );
  }

  async isValidRefName(ref: string): Promise<boolean> {
    try {
      await this.git(['check-ref-format', ref]);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Moves a ref from `expected` (ZERO_SHA: it must not exist) to `sha` atomically; returns
   * false when the ref was not at `expected` (someone else moved it).
   */
  async compareAndSwapRef(
    ref: string,
    sha: string,
    expected: string,
  ): Promise<boolean> {
    try {
      await this.git(['update-ref', ref, sha, expected]);
      return true;
    } catch {
      return false;
    }
  }

  async deleteRef(ref: string, expected: string): Promise<boolean> {
    try {
      await this.git(['update-ref', '-d', ref, expected]);
      return true;
    } catch {
      return false;
    }
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.git(['merge-base', '--is-ancestor', ancestor, descendant]);
      return true;
    } catch {
      return false;
    }
  }

  /** A tree merging `ours` and `theirs`, or undefined when they conflict. */
  async mergeTree(ours: string, theirs: string): Promise<string | undefined> {
    try {
      return (await this.git(['merge-tree', '--write-tree', ours, theirs]))
        .split('\n')[0]
        .trim();
    } catch {
      return undefined;
    }
  }

  async diff(base: string, head: string): Promise<string> {
    return this.git(['diff', '--no-color', `${base}...${head}`]);
  }

  async listBranches(): Promise<Array<{ name: string; sha: string }>> {
    const out = await this.git([
      'for-each-ref',
      '--format=%(refname:strip=2) %(objectname)',
      'refs/heads',
    ]);
    return out
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [name, sha] = line.split(' ');
        return { name, sha };
      });
  }

  /** Every file of a commit, recursively: path and blob sha. */
  async listFiles(commitish: string): Promise<TreeEntry[]> {
    const out = await this.git(['ls-tree', '-r', '-l', '-z', commitish]);
    return out
      .split('\0')
      .filter(Boolean)
      .map(line => {
        const [meta, name] = line.split('\t');
        const [mode, type, sha, size] = meta.split(/\s+/);
        return {
          mode,
          type: type as TreeEntry['type'],
          sha,
          path: name,
          size: size === '-' ? undefined : Number(size),
        };
      });
  }
}
