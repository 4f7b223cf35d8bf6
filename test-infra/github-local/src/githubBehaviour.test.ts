/*
 * GitHub's behaviour that clients depend on beyond single calls: Link pagination on every
 * list, conditional requests (ETag, 304), the files of a pull request, GraphQL executed
 * against GitHub's published schema, and git clone/fetch over smart HTTP (git http-backend).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Octokit } from '@octokit/rest';
import { LocalGitHub } from './server';

const run = promisify(execFile);
const owner = 'acme';
const repo = 'catalog';
const TOKEN = 'local-dev-token';

jest.setTimeout(60_000);

let gh: LocalGitHub;
let octokit: Octokit;

beforeEach(async () => {
  gh = await LocalGitHub.start({
    tokens: [TOKEN],
    repos: [
      {
        owner,
        repo,
        files: {
          'README.md': '# catalog\n',
          'catalog/shop/dev/orders.yaml': 'serviceName: orders\nreplicas: 1\n',
          'catalog/shop/dev/gone.yaml': 'serviceName: gone\n',
        },
      },
    ],
  });
  octokit = new Octokit({
    baseUrl: gh.apiUrl,
    auth: TOKEN,
    retry: { enabled: false },
  });
});

afterEach(async () => {
  const violations = [...gh.violations];
  await gh.stop();
  if (violations.length)
    throw new Error(`GitHub API violations:\n${violations.join('\n')}`);
});

/** A branch with one commit that changes `files` (null deletes) on top of main. */
async function branchWith(
  branch: string,
  files: Record<string, string | null>,
): Promise<string> {
  const base = await octokit.rest.repos.getBranch({
    owner,
    repo,
    branch: 'main',
  });
  const tree = await octokit.rest.git.createTree({
    owner,
    repo,
    base_tree: base.data.commit.commit.tree.sha,
    tree: Object.entries(files).map(([p, content]) =>
      content === null
        ? { path: p, mode: '100644' as const, type: 'blob' as const, sha: null }
        : { path: p, mode: '100644' as const, type: 'blob' as const, content },
    ),
  });
  const commit = await octokit.rest.git.createCommit({
    owner,
    repo,
    message: `change ${branch}`,
    tree: tree.data.sha,
    parents: [base.data.commit.sha],
  });
  await octokit.rest.git.createRef({
    owner,
    repo,
    ref: `refs/heads/${branch}`,
    sha: commit.data.sha,
  });
  return commit.data.sha;
}

async function openPulls(n: number) {
  for (let i = 0; i < n; i++) {
    await branchWith(`b${i}`, { [`f/${i}.yaml`]: `n: ${i}\n` });
    await octokit.rest.pulls.create({
      owner,
      repo,
      head: `b${i}`,
      base: 'main',
      title: `pull ${i}`,
    });
  }
}

describe('Link pagination', () => {
  it('pages lists as GitHub does (per_page up to 100) and octokit.paginate follows rel="next"', async () => {
    await openPulls(7);
    const page2 = await octokit.rest.pulls.list({
      owner,
      repo,
      per_page: 3,
      page: 2,
    });
    expect(page2.data.map(p => p.number)).toEqual([4, 3, 2]);
    const links = Object.fromEntries(
      page2.headers
        .link!.split(', ')
        .map(l => /<([^>]+)>; rel="(\w+)"/.exec(l)!)
        .map(([, u, rel]) => [rel, new URL(u).searchParams.get('page')]),
    );
    expect(links).toEqual({ prev: '1', next: '3', last: '3', first: '1' });
    expect(page2.headers.link).toContain(
      `${gh.apiUrl}/repos/${owner}/${repo}/pulls?per_page=3&page=3`,
    );

    // The last page has no next; a single page has no Link at all.
    const last = await octokit.rest.pulls.list({
      owner,
      repo,
      per_page: 3,
      page: 3,
    });
    expect(last.data.map(p => p.number)).toEqual([1]);
    expect(last.headers.link).not.toMatch(/rel="next"/);
    const single = await octokit.rest.pulls.list({ owner, repo });
    expect(single.headers.link).toBeUndefined();

    gh.resetCalls();
    const all = await octokit.paginate(octokit.rest.pulls.list, {
      owner,
      repo,
      per_page: 2,
    });
    expect(all.map(p => p.number)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(gh.countCalls('pulls/list')).toBe(4);

    // per_page above 100 is 100, as on GitHub.
    const commits = await octokit.paginate(octokit.rest.repos.listCommits, {
      owner,
      repo,
      per_page: 1,
    });
    expect(commits).toHaveLength(1);
  });
});

describe('conditional requests', () => {
  it('answers 304 Not Modified to If-None-Match with the current ETag, and 200 once it changed', async () => {
    const first = await octokit.rest.repos.getBranch({
      owner,
      repo,
      branch: 'main',
    });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    await expect(
      octokit.rest.repos.getBranch({
        owner,
        repo,
        branch: 'main',
        headers: { 'if-none-match': etag },
      }),
    ).rejects.toMatchObject({ status: 304 });
    // Lists too, page by page.
    const pulls = await octokit.rest.pulls.list({ owner, repo });
    await expect(
      octokit.rest.pulls.list({
        owner,
        repo,
        headers: { 'if-none-match': pulls.headers.etag! },
      }),
    ).rejects.toMatchObject({ status: 304 });
    await openPulls(1);
    const changed = await octokit.rest.pulls.list({
      owner,
      repo,
      headers: { 'if-none-match': pulls.headers.etag! },
    });
    expect(changed.status).toBe(200);
    expect(changed.data).toHaveLength(1);
    expect(gh.calls.filter(c => c.status === 304)).toHaveLength(2);
  });
});

describe('pull requests', () => {
  it('lists the files of a pull request with their status, counts and patch', async () => {
    await branchWith('edit', {
      'catalog/shop/dev/orders.yaml': 'serviceName: orders\nreplicas: 2\n',
      'catalog/shop/dev/new.yaml': 'serviceName: new\n',
      'catalog/shop/dev/gone.yaml': null,
    });
    const pr = await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'edit',
      base: 'main',
      title: 'edit',
    });
    const { data: files } = await octokit.rest.pulls.listFiles({
      owner,
      repo,
      pull_number: pr.data.number,
    });
    const byName = Object.fromEntries(files.map(f => [f.filename, f]));
    expect(Object.keys(byName).sort()).toEqual([
      'catalog/shop/dev/gone.yaml',
      'catalog/shop/dev/new.yaml',
      'catalog/shop/dev/orders.yaml',
    ]);
    expect(byName['catalog/shop/dev/new.yaml']).toMatchObject({
      status: 'added',
      additions: 1,
      deletions: 0,
      changes: 1,
      patch: '@@ -0,0 +1 @@\n+serviceName: new',
    });
    expect(byName['catalog/shop/dev/orders.yaml']).toMatchObject({
      status: 'modified',
      additions: 1,
      deletions: 1,
    });
    expect(byName['catalog/shop/dev/orders.yaml'].patch).toContain(
      '-replicas: 1\n+replicas: 2',
    );
    expect(byName['catalog/shop/dev/gone.yaml']).toMatchObject({
      status: 'removed',
      deletions: 1,
    });
    const page = await octokit.rest.pulls.listFiles({
      owner,
      repo,
      pull_number: pr.data.number,
      per_page: 1,
    });
    expect(page.data).toHaveLength(1);
    expect(page.headers.link).toMatch(/rel="last"/);
  });
});

describe("GraphQL against GitHub's published schema", () => {
  it("refuses what GitHub refuses, with the reference implementation's messages", async () => {
    await expect(
      octokit.graphql(
        `{ repository(owner: "acme", name: "catalog") { nope } }`,
      ),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          message: expect.stringContaining(
            'Cannot query field "nope" on type "Repository".',
          ),
        }),
      ],
    });
    await expect(
      octokit.graphql(`{ repository(owner: "acme") { id } }`),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          message: expect.stringContaining(
            'argument "name" of type "String!" is required',
          ),
        }),
      ],
    });
    await expect(
      octokit.graphql(
        `{ repository(owner: "acme", name: "catalog") { pullRequests(states: OPEN) { totalCount } } }`,
      ),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          message:
            'You must provide a `first` or `last` value to properly paginate the `pullRequests` connection.',
        }),
      ],
    });
    await expect(
      octokit.graphql(`{ repository(owner: "acme", name: "nope") { id } }`),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          type: 'NOT_FOUND',
          message:
            "Could not resolve to a Repository with the name 'acme/nope'.",
        }),
      ],
    });
  });

  it('answers a query over commits, trees, blobs and pull requests, and commits with createCommitOnBranch', async () => {
    const head = await branchWith('feature', { 'x.yaml': 'x: 1\n' });
    await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'feature',
      base: 'main',
      title: 'x',
    });
    const data: any = await octokit.graphql(
      `query ($owner: String!, $name: String!, $branch: String!) {
        repository(owner: $owner, name: $name) {
          id
          defaultBranchRef { target { oid ... on Commit { tree { oid } file(path: "catalog/shop/dev/orders.yaml") { object { ... on Blob { text } } } } } }
          branch: ref(qualifiedName: $branch) {
            target { oid ... on Commit { messageHeadline } }
            associatedPullRequests(states: OPEN, first: 5) { totalCount nodes { number headRefName isDraft } }
          }
          missing: ref(qualifiedName: "refs/heads/missing") { id }
          leaf: object(expression: "feature:x.yaml") { ... on Blob { oid text } }
        }
      }`,
      { owner, name: repo, branch: 'refs/heads/feature' },
    );
    const main = git('rev-parse', 'main').trim();
    expect(data.repository.defaultBranchRef.target.oid).toBe(main);
    expect(data.repository.defaultBranchRef.target.tree.oid).toBe(
      git('rev-parse', 'main^{tree}').trim(),
    );
    expect(data.repository.defaultBranchRef.target.file.object.text).toBe(
      'serviceName: orders\nreplicas: 1\n',
    );
    expect(data.repository.branch).toEqual({
      target: { oid: head, messageHeadline: 'change feature' },
      associatedPullRequests: {
        totalCount: 1,
        nodes: [{ number: 1, headRefName: 'feature', isDraft: false }],
      },
    });
    expect(data.repository.missing).toBeNull();
    expect(data.repository.leaf.text).toBe('x: 1\n');

    const mutation = `mutation ($input: CreateCommitOnBranchInput!) {
      createCommitOnBranch(input: $input) { commit { oid messageHeadline } ref { name } }
    }`;
    const input = (expectedHeadOid: string) => ({
      branch: {
        repositoryNameWithOwner: `${owner}/${repo}`,
        branchName: 'feature',
      },
      expectedHeadOid,
      message: { headline: 'Add y', body: 'Task: 1' },
      fileChanges: {
        additions: [
          {
            path: 'dir/y.yaml',
            contents: Buffer.from('y: 2\n').toString('base64'),
          },
        ],
        deletions: [{ path: 'x.yaml' }],
      },
    });
    // A stale expectedHeadOid is refused and changes nothing.
    await expect(
      octokit.graphql(mutation, { input: input(main) }),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          message: `Expected branch to point to "${main}" but it did not. Pull and try again.`,
        }),
      ],
    });
    expect(git('rev-parse', 'feature').trim()).toBe(head);
    const made: any = await octokit.graphql(mutation, { input: input(head) });
    expect(made.createCommitOnBranch.ref.name).toBe('feature');
    const sha = made.createCommitOnBranch.commit.oid;
    expect(git('rev-parse', 'feature').trim()).toBe(sha);
    expect(git('rev-parse', `${sha}^`).trim()).toBe(head);
    expect(git('show', 'feature:dir/y.yaml')).toBe('y: 2\n');
    expect(git('log', '-1', '--format=%B', 'feature')).toBe(
      'Add y\n\nTask: 1\n\n',
    );
    expect(() => git('show', 'feature:x.yaml')).toThrow();
    // Committed by GitHub itself: verified, as on GitHub.
    const { data: made2 } = await octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: sha,
    });
    expect(made2.verification).toMatchObject({
      verified: true,
      reason: 'valid',
    });
    expect(made2.author.name).toBe('workload-catalog-bot');
    const { data: plain } = await octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: head,
    });
    expect(plain.verification.verified).toBe(false);
    expect(gh.calls.map(c => c.operation)).toContain(
      'graphql/createCommitOnBranch',
    );
  });

  it("names a field of GitHub's schema that github-local does not serve", async () => {
    await expect(
      octokit.graphql(
        `{ repository(owner: "acme", name: "catalog") { stargazerCount } }`,
      ),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          message: 'github-local does not implement Repository.stargazerCount',
        }),
      ],
    });
    expect(gh.violations).toEqual([
      'GraphQL field Repository.stargazerCount is not implemented by github-local',
    ]);
    gh.violations.length = 0;
  });
});

describe('git over smart HTTP (git http-backend)', () => {
  const gitEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'github-local-clone-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  const cloneUrl = (user?: string) => {
    const u = new URL(`${gh.url}/${owner}/${repo}.git`);
    if (user) {
      u.username = 'x-access-token';
      u.password = user;
    }
    return u.href;
  };

  it('clones and fetches with a token as basic auth (x-access-token), as from GitHub', async () => {
    await run('git', ['clone', '--quiet', cloneUrl(TOKEN), `${dir}/c`], {
      env: gitEnv,
    });
    expect(
      await fs.readFile(`${dir}/c/catalog/shop/dev/orders.yaml`, 'utf8'),
    ).toBe('serviceName: orders\nreplicas: 1\n');
    const sha = await branchWith('feature', { 'x.yaml': 'x: 1\n' });
    await run('git', ['-C', `${dir}/c`, 'fetch', '--quiet', 'origin'], {
      env: gitEnv,
    });
    const { stdout } = await run(
      'git',
      ['-C', `${dir}/c`, 'rev-parse', 'origin/feature'],
      { env: gitEnv },
    );
    expect(stdout.trim()).toBe(sha);
    expect(gh.calls.map(c => c.operation)).toEqual(
      expect.arrayContaining([
        'smart-http/info-refs',
        'smart-http/git-upload-pack',
      ]),
    );
  });

  it('asks for credentials, refuses a wrong token, does not find other repositories, and refuses pushes', async () => {
    const clone = (url: string) =>
      run('git', ['clone', '--quiet', url, `${dir}/${Math.random()}`], {
        env: gitEnv,
      });
    await expect(clone(cloneUrl())).rejects.toMatchObject({
      stderr: expect.stringMatching(
        /could not read Username|Authentication failed/,
      ),
    });
    await expect(clone(cloneUrl('wrong'))).rejects.toMatchObject({
      stderr: expect.stringMatching(
        /Authentication failed|Invalid username or token/,
      ),
    });
    const other = new URL(cloneUrl(TOKEN));
    other.pathname = `/${owner}/nope.git`;
    await expect(clone(other.href)).rejects.toMatchObject({
      stderr: expect.stringMatching(/not found/i),
    });
    const unauthenticated = await fetch(
      `${gh.url}/${owner}/${repo}.git/info/refs?service=git-upload-pack`,
    );
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('www-authenticate')).toBe(
      'Basic realm="GitHub"',
    );
    const push = await fetch(
      `${gh.url}/${owner}/${repo}.git/info/refs?service=git-receive-pack`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`,
        },
      },
    );
    expect(push.status).toBe(403);
  });
});

function git(...args: string[]): string {
  return execFileSync('git', args, {
    env: { ...process.env, GIT_DIR: gh.repo(owner, repo).git.dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}
