import { execFileSync } from 'node:child_process';
import { Octokit } from '@octokit/rest';
import { LocalGitHub } from './server';

const owner = 'acme';
const repo = 'catalog';

// Generous: the suite runs on 2 cores beside other test projects.
jest.setTimeout(60_000);

let gh: LocalGitHub;
let octokit: Octokit;

/** git in the server's bare repository, as a test would read a branch. */
const git = (...args: string[]) =>
  execFileSync('git', args, {
    env: { ...process.env, GIT_DIR: gh.repo(owner, repo).git.dir },
  }).toString();

beforeEach(async () => {
  gh = await LocalGitHub.start({
    repos: [
      {
        owner,
        repo,
        files: {
          'README.md': '# catalog\n',
          'catalog/shop/dev/orders.yaml': 'serviceName: orders\n',
        },
      },
    ],
  });
  octokit = new Octokit({
    baseUrl: gh.apiUrl,
    auth: 'local-dev-token',
    retry: { enabled: false },
  });
});

afterEach(async () => {
  await gh.stop();
});

async function leafCommit(path: string, content: string, message = 'Add leaf') {
  const branch = await octokit.rest.repos.getBranch({
    owner,
    repo,
    branch: 'main',
  });
  const tree = await octokit.rest.git.createTree({
    owner,
    repo,
    base_tree: branch.data.commit.commit.tree.sha,
    tree: [{ path, mode: '100644', type: 'blob', content }],
  });
  const commit = await octokit.rest.git.createCommit({
    owner,
    repo,
    message,
    tree: tree.data.sha,
    parents: [branch.data.commit.sha],
  });
  return {
    base: branch.data.commit.sha,
    tree: tree.data.sha,
    commit: commit.data.sha,
  };
}

describe('LocalGitHub', () => {
  it('serves the REST calls of a pull request, backed by a real git repository', async () => {
    const { base, commit } = await leafCommit(
      'catalog/ml/dev/phi.yaml',
      'serviceName: phi\n',
    );
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: 'refs/heads/wc/phi',
      sha: commit,
    });
    const pr = await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'wc/phi',
      base: 'main',
      title: 'Add phi',
      body: 'Body',
    });

    expect(pr.status).toBe(201);
    expect(pr.data.number).toBe(1);
    expect(pr.data.html_url).toBe(`${gh.url}/${owner}/${repo}/pull/1`);
    expect(pr.data.changed_files).toBe(1);
    // git sees the branch, its parent and the file
    expect(git('rev-parse', 'refs/heads/wc/phi').trim()).toBe(commit);
    expect(git('rev-parse', 'refs/heads/wc/phi^').trim()).toBe(base);
    expect(git('show', 'refs/heads/wc/phi:catalog/ml/dev/phi.yaml')).toBe(
      'serviceName: phi\n',
    );
    expect(git('show', 'refs/heads/wc/phi:catalog/shop/dev/orders.yaml')).toBe(
      'serviceName: orders\n',
    );
    expect(gh.violations).toEqual([]);
    expect(gh.calls.map(c => `${c.operation} ${c.status}`)).toEqual([
      'repos/get-branch 200',
      'git/create-tree 201',
      'git/create-commit 201',
      'git/create-ref 201',
      'pulls/create 201',
    ]);
  });

  it('answers contents, refs, commits, lists, reviewers, labels, merges like GitHub', async () => {
    const file = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: 'catalog/shop/dev/orders.yaml',
    });
    expect(Array.isArray(file.data)).toBe(false);
    expect(Buffer.from((file.data as any).content, 'base64').toString()).toBe(
      'serviceName: orders\n',
    );
    const dir = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: 'catalog/shop',
    });
    expect((dir.data as any[]).map(e => [e.name, e.type])).toEqual([
      ['dev', 'dir'],
    ]);
    await expect(
      octokit.rest.repos.getContent({ owner, repo, path: 'catalog/nope.yaml' }),
    ).rejects.toMatchObject({ status: 404 });

    const { commit } = await leafCommit(
      'catalog/ml/dev/phi.yaml',
      'serviceName: phi\n',
      'Add phi\n\nTrailer: x',
    );
    const gitCommit = await octokit.rest.git.getCommit({
      owner,
      repo,
      commit_sha: commit,
    });
    expect(gitCommit.data.message).toBe('Add phi\n\nTrailer: x');
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: 'refs/heads/feature/phi',
      sha: commit,
    });
    const ref = await octokit.rest.git.getRef({
      owner,
      repo,
      ref: 'heads/feature/phi',
    });
    expect(ref.data.object.sha).toBe(commit);
    const commits = await octokit.rest.repos.listCommits({
      owner,
      repo,
      sha: 'feature/phi',
      per_page: 1,
    });
    expect(commits.data.map(c => c.sha)).toEqual([commit]);

    const pr = await octokit.rest.pulls.create({
      owner,
      repo,
      head: `${owner}:feature/phi`,
      base: 'main',
      title: 'Add phi',
      draft: true,
    });
    await octokit.rest.pulls.requestReviewers({
      owner,
      repo,
      pull_number: pr.data.number,
      reviewers: ['alice'],
      team_reviewers: ['platform'],
    });
    const labels = await octokit.rest.issues.addLabels({
      owner,
      repo,
      issue_number: pr.data.number,
      labels: ['gpu', 'gpu'],
    });
    expect(labels.data.map(l => l.name)).toEqual(['gpu']);
    const listed = await octokit.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:feature/phi`,
    });
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({
      draft: true,
      requested_reviewers: [{ login: 'alice' }],
      requested_teams: [{ slug: 'platform' }],
    });

    // A second pull request for the same branch is refused, as on GitHub.
    await expect(
      octokit.rest.pulls.create({
        owner,
        repo,
        head: 'feature/phi',
        base: 'main',
        title: 'again',
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          errors: [
            {
              message: `A pull request already exists for ${owner}:feature/phi.`,
            },
          ],
        },
      },
    });
    // A draft is not merged (405, as GitHub answers) until it is marked ready for review.
    await expect(
      octokit.rest.pulls.merge({ owner, repo, pull_number: pr.data.number }),
    ).rejects.toMatchObject({
      status: 405,
      response: { data: { message: 'Pull Request is still a draft' } },
    });
    await octokit.graphql(
      `mutation ($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } } }`,
      { id: pr.data.node_id },
    );
    // Merging puts the file on main and removes the branch.
    const merged = await octokit.rest.pulls.merge({
      owner,
      repo,
      pull_number: pr.data.number,
    });
    expect(merged.data.merged).toBe(true);
    expect(git('show', 'main:catalog/ml/dev/phi.yaml')).toBe(
      'serviceName: phi\n',
    );
    expect(git('branch', '--list', 'feature/phi').trim()).toBe('');
    expect(
      (
        await octokit.rest.pulls.get({
          owner,
          repo,
          pull_number: pr.data.number,
        })
      ).data,
    ).toMatchObject({ state: 'closed', merged: true });
    expect(gh.violations).toEqual([]);
  });

  it('creates a ref only once, atomically, and deletes refs like GitHub', async () => {
    const { commit } = await leafCommit('a.yaml', 'a: 1\n');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        octokit.rest.git.createRef({
          owner,
          repo,
          ref: 'refs/heads/race',
          sha: commit,
        }),
      ),
    );
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter(x => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        status: 422,
        message: expect.stringContaining('Reference already exists'),
      });
    }
    await octokit.rest.git.deleteRef({ owner, repo, ref: 'heads/race' });
    await expect(
      octokit.rest.git.deleteRef({ owner, repo, ref: 'heads/race' }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.git.getRef({ owner, repo, ref: 'heads/race' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('rejects what GitHub rejects: invalid requests fail and are recorded as violations', async () => {
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/git/refs', {
        owner,
        repo,
        ref: 'refs/heads/x',
      } as any),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("must have required property 'sha'"),
    });
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/git/trees', {
        owner,
        repo,
        tree: [{ path: 'a', mode: '100999', type: 'blob', content: 'x' }],
      } as any),
    ).rejects.toMatchObject({ status: 422 });
    expect(gh.violations).toHaveLength(2);
    expect(gh.violations[0]).toContain('git/create-ref');
  });

  it('rejects semantic mistakes with GitHub-like messages', async () => {
    const branch = await octokit.rest.repos.getBranch({
      owner,
      repo,
      branch: 'main',
    });
    const commitSha = branch.data.commit.sha;
    // a commit sha is not a tree
    await expect(
      octokit.rest.git.createTree({
        owner,
        repo,
        base_tree: commitSha,
        tree: [{ path: 'a.yaml', mode: '100644', type: 'blob', content: 'a' }],
      }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('is not a tree'),
    });
    await expect(
      octokit.rest.git.createTree({
        owner,
        repo,
        tree: [
          {
            path: '../escape.yaml',
            mode: '100644',
            type: 'blob',
            content: 'a',
          },
        ],
      }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('malformed path'),
    });
    await expect(
      octokit.rest.git.createRef({
        owner,
        repo,
        ref: 'heads/x',
        sha: commitSha,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.git.createRef({
        owner,
        repo,
        ref: 'refs/heads/x',
        sha: 'f'.repeat(40),
      }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Object does not exist'),
    });
    await expect(
      octokit.rest.pulls.create({
        owner,
        repo,
        head: 'nope',
        base: 'main',
        title: 't',
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ field: 'head', code: 'invalid' }] } },
    });
    await expect(
      octokit.rest.repos.getBranch({ owner, repo, branch: 'nope' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.rest.repos.get({ owner, repo: 'other' }),
    ).rejects.toMatchObject({ status: 404 });
    expect(gh.violations).toEqual([]);
  });

  it('requires a token', async () => {
    const anonymous = new Octokit({ baseUrl: gh.apiUrl });
    await expect(
      anonymous.rest.repos.get({ owner, repo }),
    ).rejects.toMatchObject({ status: 401 });
    const wrong = new Octokit({ baseUrl: gh.apiUrl, auth: 'nope' });
    await expect(wrong.rest.repos.get({ owner, repo })).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('Bad credentials'),
    });
  });

  it('injects status codes with headers, and counts calls', async () => {
    const fault = gh.faults.secondaryRateLimit('repos/get', {
      retryAfter: 7,
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      await expect(
        octokit.rest.repos.get({ owner, repo }),
      ).rejects.toMatchObject({
        status: 403,
        response: { headers: { 'retry-after': '7' } },
        message: expect.stringContaining('secondary rate limit'),
      });
    }
    await expect(
      octokit.rest.repos.get({ owner, repo }),
    ).resolves.toMatchObject({ status: 200 });
    expect(fault.fired).toBe(2);
    expect(gh.countCalls('repos/get')).toBe(3);
    expect(gh.calls.map(c => c.fault)).toEqual(['status', 'status', undefined]);

    gh.faults.serverError('repos/get-branch', { after: 1, status: 503 });
    await expect(
      octokit.rest.repos.getBranch({ owner, repo, branch: 'main' }),
    ).resolves.toMatchObject({ status: 200 });
    await expect(
      octokit.rest.repos.getBranch({ owner, repo, branch: 'main' }),
    ).rejects.toMatchObject({ status: 503 });
  });

  it('drops connections before or after handling a call', async () => {
    const { commit } = await leafCommit('a.yaml', 'a: 1\n');
    gh.faults.add({ operation: 'git/create-ref', kind: 'drop' });
    await expect(
      octokit.rest.git.createRef({
        owner,
        repo,
        ref: 'refs/heads/one',
        sha: commit,
      }),
    ).rejects.toBeDefined();
    expect(git('for-each-ref', 'refs/heads/one').trim()).toBe(''); // not applied

    gh.faults.add({ operation: 'git/create-ref', kind: 'drop-after' });
    await expect(
      octokit.rest.git.createRef({
        owner,
        repo,
        ref: 'refs/heads/two',
        sha: commit,
      }),
    ).rejects.toBeDefined();
    expect(git('rev-parse', 'refs/heads/two').trim()).toBe(commit); // applied, answer lost
    expect(
      gh.calls
        .filter(c => c.operation === 'git/create-ref')
        .map(c => [c.status, c.fault]),
    ).toEqual([
      [0, 'drop'],
      [0, 'drop-after'],
    ]);
  });

  it('answers the GraphQL query of octokit-plugin-create-pull-request', async () => {
    const query = `query ($owner: String!, $repo: String!, $head: String!) { repository(name: $repo, owner: $owner) { ref(qualifiedName: $head) { associatedPullRequests(first: 1, states: OPEN) { edges { node { id number url } } } } } }`;
    const none: any = await octokit.graphql(query, {
      owner,
      repo,
      head: 'feature',
    });
    expect(none.repository.ref).toBeNull();
    const { commit } = await leafCommit('a.yaml', 'a: 1\n');
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: 'refs/heads/feature',
      sha: commit,
    });
    await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'feature',
      base: 'main',
      title: 't',
    });
    const one: any = await octokit.graphql(query, {
      owner,
      repo,
      head: 'feature',
    });
    expect(one.repository.ref.associatedPullRequests.edges[0].node.number).toBe(
      1,
    );
  });

  it("lists a tree's entries in GraphQL, a blob's size only when asked", async () => {
    const { commit } = await leafCommit(
      'catalog/trees/dev/phi.yaml',
      'serviceName: phi\n',
    );
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: 'refs/heads/tree-entries',
      sha: commit,
    });
    const query = `query ($owner: String!, $repo: String!, $expr: String!) { repository(name: $repo, owner: $owner) { object(expression: $expr) { ... on Tree { entries { name path type oid size } } } } }`;
    const res: any = await octokit.graphql(query, {
      owner,
      repo,
      expr: 'tree-entries:catalog/trees/dev',
    });
    const blob = await octokit.rest.git.getBlob({
      owner,
      repo,
      file_sha: res.repository.object.entries[0].oid,
    });
    expect(res.repository.object.entries).toEqual([
      {
        name: 'phi.yaml',
        path: 'catalog/trees/dev/phi.yaml',
        type: 'blob',
        oid: blob.data.sha,
        size: 'serviceName: phi\n'.length,
      },
    ]);
    const dirs: any = await octokit.graphql(query, {
      owner,
      repo,
      expr: 'tree-entries:catalog',
    });
    expect(dirs.repository.object.entries).toContainEqual(
      expect.objectContaining({
        name: 'trees',
        path: 'catalog/trees',
        type: 'tree',
        size: 0,
      }),
    );
  });

  it('shows pull requests as web pages, with their diff, and merges from there', async () => {
    const { commit } = await leafCommit(
      'catalog/ml/dev/phi.yaml',
      'serviceName: phi\n',
    );
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: 'refs/heads/wc/phi',
      sha: commit,
    });
    await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'wc/phi',
      base: 'main',
      title: 'Add <phi>',
      body: 'Body',
    });
    const home = await (await fetch(`${gh.url}/`)).text();
    expect(home).toContain(`${owner}/${repo}`);
    const page = await (
      await fetch(`${gh.url}/${owner}/${repo}/pull/1`)
    ).text();
    expect(page).toContain('Add &lt;phi&gt;');
    expect(page).toContain('+serviceName: phi');
    const merge = await fetch(`${gh.url}/${owner}/${repo}/pull/1/merge`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(merge.status).toBe(303);
    const raw = await (
      await fetch(`${gh.url}/${owner}/${repo}/raw/main/catalog/ml/dev/phi.yaml`)
    ).text();
    expect(raw).toBe('serviceName: phi\n');
    expect((await fetch(`${gh.url}/${owner}/${repo}/pull/9`)).status).toBe(404);
  });

  it('keeps repositories and pull requests in its data directory across restarts', async () => {
    const dataDir = gh.dataDir;
    const { commit } = await leafCommit('a.yaml', 'a: 1\n');
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: 'refs/heads/keep',
      sha: commit,
    });
    await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'keep',
      base: 'main',
      title: 'kept',
    });
    const second = await LocalGitHub.start({ dataDir });
    try {
      const client = new Octokit({
        baseUrl: second.apiUrl,
        auth: 'local-dev-token',
      });
      const pulls = await client.rest.pulls.list({ owner, repo });
      expect(pulls.data.map(p => p.title)).toEqual(['kept']);
    } finally {
      await second.stop();
    }
  });
});
