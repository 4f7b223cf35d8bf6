import { Octokit } from '@octokit/rest';
import { LocalGitHub } from './server';

describe('github-local: trees, blobs and reviews', () => {
  let gh: LocalGitHub;
  let octokit: Octokit;
  const repo = { owner: 'acme', repo: 'catalog' };

  beforeAll(async () => {
    gh = await LocalGitHub.start({
      tokens: ['t'],
      repos: [
        {
          ...repo,
          files: {
            'README.md': '# catalog\n',
            'catalog/ml/dev/phi.yaml': 'serviceName: phi\n',
            'catalog/ml/prod/phi.yaml': 'serviceName: phi\nenvironment: prod\n',
          },
        },
      ],
    });
    octokit = new Octokit({ baseUrl: gh.apiUrl, auth: 't' });
  });
  afterAll(() => gh.stop());

  it('reads a tree by branch, commit or tree sha, one level or recursively', async () => {
    const branch = await octokit.rest.repos.getBranch({
      ...repo,
      branch: 'main',
    });
    const top = await octokit.rest.git.getTree({ ...repo, tree_sha: 'main' });
    expect(top.data.sha).toBe(branch.data.commit.commit.tree.sha);
    expect(top.data.truncated).toBe(false);
    expect(top.data.tree.map(e => [e.path, e.type])).toEqual([
      ['README.md', 'blob'],
      ['catalog', 'tree'],
    ]);
    const all = await octokit.rest.git.getTree({
      ...repo,
      tree_sha: branch.data.commit.sha,
      recursive: 'true',
    });
    expect(all.data.tree.map(e => e.path)).toEqual([
      'README.md',
      'catalog',
      'catalog/ml',
      'catalog/ml/dev',
      'catalog/ml/dev/phi.yaml',
      'catalog/ml/prod',
      'catalog/ml/prod/phi.yaml',
    ]);
    const leaf = all.data.tree.find(e => e.path === 'catalog/ml/dev/phi.yaml')!;
    expect(leaf).toMatchObject({
      mode: '100644',
      size: 'serviceName: phi\n'.length,
    });
    const sub = await octokit.rest.git.getTree({
      ...repo,
      tree_sha: all.data.tree.find(e => e.path === 'catalog/ml')!.sha!,
    });
    expect(sub.data.tree.map(e => e.path)).toEqual(['dev', 'prod']);

    const blob = await octokit.rest.git.getBlob({
      ...repo,
      file_sha: leaf.sha!,
    });
    expect(blob.data.encoding).toBe('base64');
    expect(Buffer.from(blob.data.content, 'base64').toString()).toBe(
      'serviceName: phi\n',
    );
    expect(blob.data.size).toBe(17);
    expect(gh.violations).toEqual([]);
  });

  it('answers 404 for trees and blobs that do not exist', async () => {
    await expect(
      octokit.rest.git.getTree({ ...repo, tree_sha: 'no-such-branch' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.rest.git.getTree({ ...repo, tree_sha: 'f'.repeat(40) }),
    ).rejects.toMatchObject({ status: 404 });
    const tree = (await octokit.rest.git.getTree({ ...repo, tree_sha: 'main' }))
      .data.sha;
    await expect(
      octokit.rest.git.getBlob({ ...repo, file_sha: tree }),
    ).rejects.toMatchObject({ status: 404 });
    expect(gh.violations).toEqual([]);
  });

  it('lists and creates reviews: approve, request changes, pending; closed PRs refuse', async () => {
    const base = await octokit.rest.repos.getBranch({
      ...repo,
      branch: 'main',
    });
    const commit = await octokit.rest.git.createCommit({
      ...repo,
      message: 'change',
      tree: base.data.commit.commit.tree.sha,
      parents: [base.data.commit.sha],
    });
    await octokit.rest.git.createRef({
      ...repo,
      ref: 'refs/heads/change',
      sha: commit.data.sha,
    });
    const pull = await octokit.rest.pulls.create({
      ...repo,
      head: 'change',
      base: 'main',
      title: 'Change',
    });
    const number = pull.data.number;
    expect(
      (await octokit.rest.pulls.listReviews({ ...repo, pull_number: number }))
        .data,
    ).toEqual([]);
    await expect(
      octokit.rest.pulls.createReview({
        ...repo,
        pull_number: number,
        event: 'REQUEST_CHANGES',
      }),
    ).rejects.toMatchObject({ status: 422 });
    const changes = await octokit.rest.pulls.createReview({
      ...repo,
      pull_number: number,
      event: 'REQUEST_CHANGES',
      body: 'Use 2 GPUs',
    });
    expect(changes.data).toMatchObject({
      state: 'CHANGES_REQUESTED',
      body: 'Use 2 GPUs',
      commit_id: commit.data.sha,
      user: { login: 'workload-catalog-bot' },
    });
    const pending = await octokit.rest.pulls.createReview({
      ...repo,
      pull_number: number,
    });
    expect(pending.data.state).toBe('PENDING');
    expect(pending.data.submitted_at).toBeUndefined();
    await octokit.rest.pulls.createReview({
      ...repo,
      pull_number: number,
      event: 'APPROVE',
    });
    const reviews = await octokit.rest.pulls.listReviews({
      ...repo,
      pull_number: number,
    });
    expect(reviews.data.map(r => r.state)).toEqual([
      'CHANGES_REQUESTED',
      'PENDING',
      'APPROVED',
    ]);
    expect(reviews.data[2].submitted_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    await octokit.rest.pulls.update({
      ...repo,
      pull_number: number,
      state: 'closed',
    });
    await expect(
      octokit.rest.pulls.createReview({
        ...repo,
        pull_number: number,
        event: 'APPROVE',
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.pulls.listReviews({ ...repo, pull_number: 999 }),
    ).rejects.toMatchObject({ status: 404 });
    expect(gh.violations).toEqual([]);
  });

  it('approves from the pull request page', async () => {
    const base = await octokit.rest.repos.getBranch({
      ...repo,
      branch: 'main',
    });
    const commit = await octokit.rest.git.createCommit({
      ...repo,
      message: 'web',
      tree: base.data.commit.commit.tree.sha,
      parents: [base.data.commit.sha],
    });
    await octokit.rest.git.createRef({
      ...repo,
      ref: 'refs/heads/web',
      sha: commit.data.sha,
    });
    const pull = await octokit.rest.pulls.create({
      ...repo,
      head: 'web',
      base: 'main',
      title: 'Web',
    });
    const page = await (
      await fetch(`${gh.url}/acme/catalog/pull/${pull.data.number}`)
    ).text();
    expect(page).toContain('>Approve</button>');
    const res = await fetch(
      `${gh.url}/acme/catalog/pull/${pull.data.number}/approve`,
      {
        method: 'POST',
        redirect: 'manual',
      },
    );
    expect(res.status).toBe(303);
    const reviews = await octokit.rest.pulls.listReviews({
      ...repo,
      pull_number: pull.data.number,
    });
    expect(reviews.data.map(r => r.state)).toEqual(['APPROVED']);
    const again = await (
      await fetch(`${gh.url}/acme/catalog/pull/${pull.data.number}`)
    ).text();
    expect(again).toContain('approved by workload-catalog-bot');
    expect(gh.violations).toEqual([]);
  });
});
