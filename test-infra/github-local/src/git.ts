/*
 * A bare git repository on disk, driven through git's plumbing commands. Every object the
 * server reports (blobs, trees, commits, refs) is a real git object, so tests can read
 * what a pull request contains with plain `git`.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';

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
  // eslint-disable-next-line redos/no-vulnerable -- git's own output for commits the server wrote
  const m = /^(.*) <([^>]*)> (\d+ [+-]\d{4})$/.exec(line);
  if (!m) throw new GitError(`cannot parse identity "${line}"`);
  return { name: m[1], email: m[2], date: isoFromGit(m[3]) };
}

/** Git's ref name rules, enough to keep a name inside refs/ (git check-ref-format decides on writes). */
export function isSafeRefName(ref: string): boolean {
  if (!ref.startsWith('refs/') || ref.endsWith('/') || ref.endsWith('.lock'))
    return false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20~^:?*[\\\x7f]|\.\.|@\{|\/\//.test(ref)) return false;
  return ref
    .split('/')
    .every(segment => segment !== '' && !segment.startsWith('.'));
}

/** A tree object's content: entries sorted as git sorts them (a tree as "name/"). */
function encodeTree(entries: TreeEntry[]): Buffer {
  const key = (e: TreeEntry) => (e.type === 'tree' ? `${e.path}/` : e.path);
  const sorted = [...entries].sort((a, b) =>
    Buffer.compare(Buffer.from(key(a)), Buffer.from(key(b))),
  );
  return Buffer.concat(
    sorted.map(e =>
      Buffer.concat([
        Buffer.from(`${e.mode.replace(/^0+/, '')} ${e.path}\0`),
        Buffer.from(e.sha, 'hex'),
      ]),
    ),
  );
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

  private objectPath(sha: string): string {
    return path.join(this.dir, 'objects', sha.slice(0, 2), sha.slice(2));
  }

  /**
   * Reads an object. Loose objects (everything this server writes) are read directly
   * (no process per call); packed ones through git.
   */
  async readObject(
    sha: string,
  ): Promise<{ type: string; content: Buffer } | undefined> {
    if (!SHA_RE.test(sha)) return undefined;
    let raw: Buffer | undefined;
    try {
      raw = inflateSync(await fs.readFile(this.objectPath(sha)));
    } catch {
      raw = undefined;
    }
    if (raw) {
      const nul = raw.indexOf(0);
      return {
        type: raw.subarray(0, nul).toString().split(' ')[0],
        content: raw.subarray(nul + 1),
      };
    }
    let type: string;
    try {
      type = (await this.git(['cat-file', '-t', sha])).trim();
    } catch {
      return undefined;
    }
    const content = await new Promise<Buffer>((resolve, reject) => {
      execFile(
        'git',
        ['cat-file', type, sha],
        {
          env: { ...process.env, GIT_DIR: this.dir },
          encoding: 'buffer',
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout) =>
          error ? reject(new GitError(`cannot read ${sha}`)) : resolve(stdout),
      );
    });
    return { type, content };
  }

  /** Writes a loose object, as git does (zlib, sha1 of "type size\\0content"); returns its sha. */
  async writeObject(
    type: 'blob' | 'tree' | 'commit',
    content: Buffer,
  ): Promise<string> {
    const full = Buffer.concat([
      Buffer.from(`${type} ${content.length}\0`),
      content,
    ]);
    const sha = createHash('sha1').update(full).digest('hex');
    const file = this.objectPath(sha);
    try {
      await fs.access(file);
      return sha;
    } catch {
      // not there yet
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.writeFile(tmp, deflateSync(full));
    await fs.rename(tmp, file);
    return sha;
  }

  /** The object's type, or undefined when it does not exist. */
  async objectType(
    sha: string,
  ): Promise<'blob' | 'tree' | 'commit' | 'tag' | undefined> {
    return (await this.readObject(sha))?.type as any;
  }

  async writeBlob(content: Buffer): Promise<string> {
    return this.writeObject('blob', content);
  }

  async readBlob(sha: string): Promise<Buffer> {
    const object = await this.readObject(sha);
    if (!object || object.type !== 'blob') throw new GitError(`no blob ${sha}`);
    return object.content;
  }

  /** The entries of a tree (one level); `treeish` is a tree or a commit sha. */
  async lsTree(
    treeish: string,
    options: { sizes?: boolean } = {},
  ): Promise<TreeEntry[]> {
    let object = await this.readObject(treeish);
    if (object?.type === 'commit') {
      object = await this.readObject(object.content.toString('utf8', 5, 45));
    }
    if (!object || object.type !== 'tree')
      throw new GitError(`not a tree: ${treeish}`);
    const entries: TreeEntry[] = [];
    const data = object.content;
    let i = 0;
    while (i < data.length) {
      const space = data.indexOf(0x20, i);
      const nul = data.indexOf(0, space);
      const mode = data.toString('utf8', i, space).padStart(6, '0');
      const name = data.toString('utf8', space + 1, nul);
      const sha = data.toString('hex', nul + 1, nul + 21);
      i = nul + 21;
      let type: TreeEntry['type'] = 'blob';
      if (mode === '040000') type = 'tree';
      else if (mode === '160000') type = 'commit';
      entries.push({ mode, type, sha, path: name });
    }
    if (options.sizes) {
      for (const e of entries) {
        if (e.type === 'blob')
          e.size = (await this.readObject(e.sha))?.content.length;
      }
    }
    return entries;
  }

  /** The entry at `path` in a commit or tree, or undefined. */
  async entryAt(
    treeish: string,
    filePath: string,
  ): Promise<TreeEntry | undefined> {
    if (filePath === '') return undefined;
    const parts = filePath.split('/');
    let tree = treeish;
    for (let i = 0; i < parts.length; i++) {
      let entries: TreeEntry[];
      try {
        entries = await this.lsTree(tree);
      } catch {
        return undefined;
      }
      const entry = entries.find(e => e.path === parts[i]);
      if (!entry) return undefined;
      if (i === parts.length - 1) {
        if (entry.type === 'blob')
          entry.size = (await this.readObject(entry.sha))?.content.length;
        return entry;
      }
      if (entry.type !== 'tree') return undefined;
      tree = entry.sha;
    }
    return undefined;
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
      return this.writeObject('tree', encodeTree([...entries.values()]));
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
    const who = (id: GitIdentity) =>
      `${id.name.replace(/[<>\n]/g, '')} <${id.email.replace(/[<>\n]/g, '')}> ${gitDate(id.date)}`;
    const lines = [
      `tree ${options.tree}`,
      ...options.parents.map(p => `parent ${p}`),
    ];
    lines.push(
      `author ${who(options.author)}`,
      `committer ${who(options.committer)}`,
    );
    const message = options.message.endsWith('\n')
      ? options.message
      : `${options.message}\n`;
    return this.writeObject(
      'commit',
      Buffer.from(`${lines.join('\n')}\n\n${message}`, 'utf8'),
    );
  }

  async readCommit(sha: string): Promise<CommitInfo | undefined> {
    const object = await this.readObject(sha);
    if (!object || object.type !== 'commit') return undefined;
    const raw = object.content.toString('utf8');
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

  /**
   * The commit a fully qualified ref points at, or undefined. Read from the ref files
   * (this server is their only writer, through update-ref); annotated tags through git.
   */
  async resolveRef(ref: string): Promise<string | undefined> {
    if (!isSafeRefName(ref)) return undefined;
    let sha: string | undefined;
    try {
      sha = (await fs.readFile(path.join(this.dir, ref), 'utf8')).trim();
    } catch {
      try {
        const packed = await fs.readFile(
          path.join(this.dir, 'packed-refs'),
          'utf8',
        );
        sha = packed
          .split('\n')
          .map(line => line.split(' '))
          .find(([, name]) => name === ref)?.[0];
      } catch {
        sha = undefined;
      }
    }
    if (!sha || !SHA_RE.test(sha)) return undefined;
    const type = await this.objectType(sha);
    if (type === 'commit') return sha;
    if (type !== 'tag') return undefined;
    try {
      return (
        (
          await this.git([
            'rev-parse',
            '--verify',
            '--quiet',
            `${sha}^{commit}`,
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
