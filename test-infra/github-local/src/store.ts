/*
 * The server's state: repositories (bare git repositories under the data directory) and
 * their pull requests (a JSON file beside each repository).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GitRepo, ZERO_SHA } from './git';
import type { PullRecord } from './objects';

const NAME_RE = /^[A-Za-z0-9_.-]{1,100}$/;

export interface RepoState {
  owner: string;
  name: string;
  id: number;
  defaultBranch: string;
  git: GitRepo;
  pulls: PullRecord[];
  labels: Map<string, number>;
  /** Serialises ref and pull request changes of this repository. */
  lock: Mutex;
}

/** A tiny async mutex: run one function at a time. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export function isValidName(name: string): boolean {
  return (
    NAME_RE.test(name) &&
    name !== '.' &&
    name !== '..' &&
    !name.endsWith('.git')
  );
}

export class Store {
  private readonly repos = new Map<string, RepoState>();
  private nextId = 1;
  private nextPullId = 1;

  constructor(readonly dataDir: string) {}

  private key(owner: string, name: string) {
    return `${owner.toLowerCase()}/${name.toLowerCase()}`;
  }

  /** Opens every repository already in the data directory. */
  async load(): Promise<void> {
    let owners: string[] = [];
    try {
      owners = await fs.readdir(this.dataDir);
    } catch {
      return;
    }
    for (const owner of owners) {
      if (!isValidName(owner)) continue;
      let entries: string[] = [];
      try {
        entries = await fs.readdir(path.join(this.dataDir, owner));
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (!entry.endsWith('.git')) continue;
        const name = entry.slice(0, -4);
        if (isValidName(name)) await this.open(owner, name);
      }
    }
  }

  private async open(
    owner: string,
    name: string,
    defaultBranch = 'main',
  ): Promise<RepoState> {
    const dir = path.join(this.dataDir, owner, `${name}.git`);
    const git = await GitRepo.open(dir, defaultBranch);
    const head = (await git.git(['symbolic-ref', 'HEAD']))
      .trim()
      .replace(/^refs\/heads\//, '');
    let pulls: PullRecord[] = [];
    try {
      pulls = JSON.parse(
        await fs.readFile(this.pullsFile(owner, name), 'utf8'),
      );
    } catch {
      pulls = [];
    }
    for (const p of pulls)
      this.nextPullId = Math.max(this.nextPullId, p.id + 1);
    const state: RepoState = {
      owner,
      name,
      id: this.nextId++,
      defaultBranch: head,
      git,
      pulls,
      labels: new Map(),
      lock: new Mutex(),
    };
    this.repos.set(this.key(owner, name), state);
    return state;
  }

  private pullsFile(owner: string, name: string) {
    return path.join(this.dataDir, owner, `${name}.pulls.json`);
  }

  get(owner: string, name: string): RepoState | undefined {
    return this.repos.get(this.key(owner, name));
  }

  list(): RepoState[] {
    return [...this.repos.values()];
  }

  /**
   * Creates a repository (or opens the existing one). `files` become the first commit of
   * the default branch when the repository is new.
   */
  async create(
    owner: string,
    name: string,
    options: {
      defaultBranch?: string;
      files?: Record<string, string | Buffer>;
      message?: string;
    } = {},
  ): Promise<RepoState> {
    if (!isValidName(owner) || !isValidName(name)) {
      throw new Error(
        `invalid repository name "${owner}/${name}": use letters, digits, ".", "-" and "_"`,
      );
    }
    const existing = this.get(owner, name);
    if (existing) return existing;
    const state = await this.open(owner, name, options.defaultBranch ?? 'main');
    const branch = `refs/heads/${state.defaultBranch}`;
    if (!(await state.git.resolveRef(branch))) {
      const files = options.files ?? { 'README.md': `# ${name}\n` };
      const changes = [];
      for (const [file, content] of Object.entries(files)) {
        const sha = await state.git.writeBlob(
          Buffer.isBuffer(content) ? content : Buffer.from(content),
        );
        changes.push({
          path: file,
          mode: '100644',
          type: 'blob' as const,
          sha,
        });
      }
      const tree = await state.git.writeTree(undefined, changes);
      const who = { name: 'github-local', email: 'github-local@127.0.0.1' };
      const commit = await state.git.commitTree({
        tree,
        parents: [],
        message: options.message ?? 'Initial commit',
        author: who,
        committer: who,
      });
      await state.git.compareAndSwapRef(branch, commit, ZERO_SHA);
    }
    return state;
  }

  newPullId(): number {
    return this.nextPullId++;
  }

  async savePulls(state: RepoState): Promise<void> {
    const file = this.pullsFile(state.owner, state.name);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(state.pulls, null, 2));
    await fs.rename(tmp, file);
  }
}
