import { generateKeyPairSync } from 'node:crypto';
import { promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { LocalGitHub } from '@workload-catalog/github-local';
import {
  parseLeafFile,
  printLeaf,
  validateLeaf,
  formatPath,
} from '@workload-catalog/plugin-workload-catalog-common';
import { Octokit } from '@octokit/rest';
import yaml from 'yaml';
import {
  CheckpointStore,
  EXAMPLES_DIR,
  OWNER,
  REPO,
  TOKEN,
  WRITE_OPERATIONS,
  git,
  operations,
  pullRequestAction,
  readExampleLeaf,
  runAction,
  seedLeaf,
  startCatalogGitHub,
  workBranches,
} from '../__testUtils__/localCatalog';
import {
  createWorkloadLeafConditionalDecision,
  workloadCatalogPullRequestCreatePermission,
  workloadLeafConditions,
} from '@workload-catalog/plugin-workload-catalog-node';
import { examples } from './catalogPullRequest.examples';

const SEED_PATH = 'catalog/ml-inference/dev/ollama-phi.yaml';
/**
 * The four calls of a new workload's pull request: one GraphQL query (base commit and tree,
 * the leaf, the leaf's branch and its pull requests), the branch, createCommitOnBranch, the
 * pull request.
 */
const NEW_LEAF_CALLS = [
  'graphql',
  'git/create-ref',
  'graphql/createCommitOnBranch',
  'pulls/create',
];
const SEED_BRANCH = 'workload-catalog/catalog/ml-inference/dev/ollama-phi';

// Each test starts a local GitHub; the concurrency test runs 20 actions at once (~6 s on 2
// idle cores, much more beside the other test projects).
jest.setTimeout(180_000);

let gh: LocalGitHub;

beforeEach(async () => {
  gh = await startCatalogGitHub();
});

afterEach(async () => {
  const violations = [...gh.violations];
  await gh.stop();
  // Every request the action sent was one GitHub accepts, and every answer was GitHub's shape.
  if (violations.length > 0)
    throw new Error(`OpenAPI violations:\n${violations.join('\n')}`);
});

const openPulls = () =>
  gh.repo(OWNER, REPO).pulls.filter(p => p.state === 'open');
const writes = () =>
  gh.calls.filter(c => WRITE_OPERATIONS.includes(c.operation ?? ''));

describe('workload:catalog:pull-request', () => {
  it('opens a pull request for the seed leaf: four calls, one commit with the leaf inline', async () => {
    const leaf = await seedLeaf();
    const { outputs } = await runAction(
      pullRequestAction(gh),
      { leaf },
      { taskId: 'task-seed' },
    );

    expect(operations(gh)).toEqual(NEW_LEAF_CALLS);
    expect(outputs).toEqual({
      pullRequestUrl: `${gh.url}/${OWNER}/${REPO}/pull/1`,
      pullRequestNumber: 1,
      branch: SEED_BRANCH,
      leafPath: SEED_PATH,
      title: 'Add ollama-phi in dev: phi:latest on 1 GPU',
    });
    // The branch is one commit on top of main, and holds exactly the printed leaf.
    expect(git(gh, 'rev-list', '--count', `main..${SEED_BRANCH}`).trim()).toBe(
      '1',
    );
    expect(git(gh, 'diff', '--name-only', `main...${SEED_BRANCH}`).trim()).toBe(
      SEED_PATH,
    );
    const committed = git(gh, 'show', `${SEED_BRANCH}:${SEED_PATH}`);
    expect(committed).toBe(
      printLeaf(validateLeaf(leaf).valid && (validateLeaf(leaf) as any).leaf),
    );
    expect(parseLeafFile(committed).valid).toBe(true);
    expect(git(gh, 'log', '-1', '--format=%B', SEED_BRANCH)).toContain(
      'Workload-Catalog-Task: task-seed',
    );
    // Made by createCommitOnBranch: GitHub signs it, the commit is verified.
    const { data: tip } = await new Octokit({
      baseUrl: gh.apiUrl,
      auth: TOKEN,
    }).rest.git.getCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: git(gh, 'rev-parse', SEED_BRANCH).trim(),
    });
    expect(tip.verification.verified).toBe(true);

    const [pr] = openPulls();
    expect(pr).toMatchObject({
      title: 'Add ollama-phi in dev: phi:latest on 1 GPU',
      head: SEED_BRANCH,
      base: 'main',
      draft: false,
    });
    for (const fact of [
      '`phi:latest`',
      '1 per replica',
      '`ml-workloads`',
      '`dev`',
      SEED_PATH,
      'https://text.hypermedia.au',
      'http://backstage.test/create/tasks/task-seed',
      'user:default/jane',
      '```yaml\nworkloadType: OLLAMA_INFERENCE_LOAD',
    ]) {
      expect(pr.body).toContain(fact);
    }
  });

  it('opens the pull request as a GitHub App installation (integrations.github apps)', async () => {
    // A GitHub that accepts no plain token: only the app's installation tokens.
    await gh.stop();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
    });
    const app = (repositories?: string[]) => ({
      id: 4242,
      slug: 'workload-catalog',
      key: publicKey,
      installations: [{ id: 77, account: OWNER, repositories }],
    });
    const credentials = {
      apps: [
        {
          appId: 4242,
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
          webhookSecret: 'unused',
          clientId: 'Iv1.unused',
          clientSecret: 'unused',
        },
      ],
    };
    gh = await startCatalogGitHub({ tokens: [], apps: [app()] });
    const { outputs } = await runAction(
      pullRequestAction(gh, { credentials }),
      { leaf: await seedLeaf() },
      { taskId: 'task-app' },
    );
    expect(outputs.pullRequestNumber).toBe(1);
    expect(operations(gh).slice(0, 2)).toEqual([
      'apps/list-installations',
      'apps/create-installation-access-token',
    ]);
    expect(operations(gh).slice(2)).toEqual(NEW_LEAF_CALLS);
    expect(git(gh, 'show', `${SEED_BRANCH}:${SEED_PATH}`)).toContain(
      'serviceName: ollama-phi',
    );
    await gh.stop();

    // Installed for other repositories only: GitHub's provider refuses before any write.
    gh = await startCatalogGitHub({ tokens: [], apps: [app(['other-repo'])] });
    await expect(
      runAction(
        pullRequestAction(gh, { credentials }),
        { leaf: await seedLeaf() },
        { taskId: 'task-app-2' },
      ),
    ).rejects.toThrow(/gitops-catalog/);
    expect(writes()).toEqual([]);
    expect(workBranches(gh)).toEqual([]);
  });

  it('runs every example of its documentation', async () => {
    const seed = await seedLeaf();
    for (const [i, example] of examples.entries()) {
      const doc = yaml.parse(example.example);
      for (const step of doc.steps.filter(
        (s: any) => s.action === 'workload:catalog:pull-request',
      )) {
        const input = { ...step.input };
        if (typeof input.leaf === 'string') input.leaf = seed; // ${{ steps.validate.output.leaf }}
        if (input.update) {
          // the update example changes a workload already in the catalog
          await runAction(
            pullRequestAction(gh),
            { leaf: seed },
            { taskId: `create-${i}` },
          );
          const [pr] = openPulls();
          await new Octokit({
            baseUrl: gh.apiUrl,
            auth: TOKEN,
          }).rest.pulls.merge({
            owner: OWNER,
            repo: REPO,
            pull_number: pr.number,
          });
        }
        const { outputs } = await runAction(pullRequestAction(gh), input, {
          taskId: `example-${i}`,
        });
        expect(outputs.pullRequestUrl).toMatch(/\/pull\/\d+$/);
      }
      // start each example from a clean repository
      await gh.stop();
      gh = await startCatalogGitHub();
    }
  });

  it('asks for reviewers, team reviewers, labels and a draft, on top of the configured ones', async () => {
    const action = pullRequestAction(gh, {
      options: {
        pullRequestDefaults: {
          labels: ['workload-catalog'],
          teamReviewers: ['platform'],
        },
      },
    });
    await runAction(action, {
      leaf: await seedLeaf(),
      reviewers: ['alice'],
      teamReviewers: ['ml'],
      labels: ['gpu'],
      draft: true,
    });
    const [pr] = openPulls();
    expect(pr).toMatchObject({
      draft: true,
      requestedReviewers: ['alice'],
      requestedTeams: ['platform', 'ml'],
      labels: ['workload-catalog', 'gpu'],
    });
    expect(operations(gh).slice(-2)).toEqual([
      'pulls/request-reviewers',
      'issues/add-labels',
    ]);
  });

  it('keeps the pull request when GitHub refuses a reviewer, and says so in the log', async () => {
    // GitHub refuses a review request from the pull request's own author.
    const { outputs, logs } = await runAction(pullRequestAction(gh), {
      leaf: await seedLeaf(),
      reviewers: ['workload-catalog-bot'],
    });
    expect(outputs.pullRequestNumber).toBe(1);
    expect(logs.join('\n')).toMatch(
      /warn: Could not request reviewers .*Review cannot be requested from pull request author.*open without them/,
    );
  });

  it('refuses a new workload whose leaf already exists, and writes nothing', async () => {
    const leaf = await readExampleLeaf('valid/shop/dev/orders-api.yaml');
    await expect(runAction(pullRequestAction(gh), { leaf })).rejects.toThrow(
      /catalog\/shop\/dev\/orders-api.yaml already exists on main .* run the template again with "update" set/,
    );
    expect(operations(gh)).toEqual(['graphql']);
    expect(workBranches(gh)).toEqual([]);
  });

  it('changes an existing leaf with update: the title says so and the body lists the changes', async () => {
    const leaf = await readExampleLeaf('valid/shop/dev/orders-api.yaml');
    const changed = {
      ...leaf,
      container: { ...(leaf.container as object), replicas: 5 },
    };
    const { outputs } = await runAction(pullRequestAction(gh), {
      leaf: changed,
      update: true,
    });
    expect(outputs.title).toMatch(/^Update orders-api in dev/);
    const [pr] = openPulls();
    expect(pr.body).toContain('### What changes');
    expect(pr.body).toMatch(/`container.replicas`: \d+ → 5/);
    expect(
      git(gh, 'show', `${outputs.branch}:catalog/shop/dev/orders-api.yaml`),
    ).toContain('replicas: 5');
  });

  it('refuses an update that only spells out defaults the existing leaf leaves out', async () => {
    // orders-db.yaml leaves storage.accessMode out: its normal form says ReadWriteOnce
    const leaf = await readExampleLeaf('valid/shop/prod/orders-db.yaml');
    expect((leaf.storage as any).accessMode).toBeUndefined();
    await gh.stop();
    gh = await startCatalogGitHub({
      files: {
        'catalog/shop/prod/orders-db.yaml': await fs.readFile(
          path.join(EXAMPLES_DIR, 'valid/shop/prod/orders-db.yaml'),
        ),
      },
    });
    await expect(
      runAction(pullRequestAction(gh), { leaf, update: true }),
    ).rejects.toThrow(/already exactly this leaf: there is nothing to change/);
    expect(workBranches(gh)).toEqual([]);
  });

  it('refuses an update that changes nothing', async () => {
    const leaf = await readExampleLeaf('valid/shop/dev/orders-api.yaml');
    await expect(
      runAction(pullRequestAction(gh), { leaf, update: true }),
    ).rejects.toThrow(/already exactly this leaf: there is nothing to change/);
    expect(writes()).toEqual([]);
  });

  describe('invalid leaves of every kind write nothing', () => {
    const invalidFiles: string[] = readdirSync(
      path.join(EXAMPLES_DIR, 'invalid'),
    ).filter(f => f.endsWith('.yaml'));

    it.each(invalidFiles)(
      '%s: fails listing every problem by field path, no call to GitHub',
      async file => {
        const text = await fs.readFile(
          path.join(EXAMPLES_DIR, 'invalid', file as string),
          'utf8',
        );
        const value = parseLeafFile(text).value; // undefined when the YAML itself is broken
        const policy = {
          environments: ['dev', 'staging', 'prod'],
          namespaces: ['ml-workloads', 'shop'],
          maxGpuCount: 8,
        };
        const expected = validateLeaf(value, policy);
        expect(expected.valid).toBe(false);
        const error = await runAction(pullRequestAction(gh), {
          leaf: (value ?? null) as any,
        }).then(
          () => undefined,
          e => e,
        );
        expect(error?.name).toBe('InputError');
        expect(error.message).toMatch(
          /^The workload leaf is not valid \(\d+ problems?\); nothing was written:/,
        );
        for (const issue of expected.valid ? [] : expected.issues) {
          expect(error.message).toContain(
            `- ${formatPath(issue.path) || '(leaf)'}: ${issue.message}`,
          );
        }
        expect(gh.calls).toEqual([]);
        expect(workBranches(gh)).toEqual([]);
      },
    );

    it.each([
      [
        'environment',
        { environment: 'qa' },
        /environment: must be one of dev, staging, prod; got "qa"/,
      ],
      [
        'namespace',
        { namespace: 'kube-system' },
        /namespace: must be one of the namespaces this platform deploys to: ml-workloads, shop/,
      ],
      [
        'GPU maximum',
        { gpu: { count: 12 } },
        /gpu.count: must be at most 8 \(the platform's GPU maximum per replica\); got 12/,
      ],
    ])(
      'the platform policy (%s) is checked again, whatever the form allowed',
      async (_what, change, message) => {
        await expect(
          runAction(pullRequestAction(gh), {
            leaf: { ...(await seedLeaf()), ...change },
          }),
        ).rejects.toThrow(message);
        expect(gh.calls).toEqual([]);
      },
    );
  });

  describe('retries and failures', () => {
    const READS_AND_WRITES = NEW_LEAF_CALLS;
    const CONTINUES_WITH: Record<string, string[]> = {
      graphql: READS_AND_WRITES,
      'git/create-ref': READS_AND_WRITES.slice(1),
      'graphql/createCommitOnBranch': READS_AND_WRITES.slice(1),
      'pulls/create': [
        'pulls/create',
        'git/create-ref',
        'graphql/createCommitOnBranch',
        'pulls/create',
      ],
    };

    it.each(READS_AND_WRITES)(
      'after GitHub keeps failing at %s: a clear error, no orphan branch; the retried task continues and opens one pull request',
      async operation => {
        const checkpoints = new CheckpointStore();
        const leaf = await seedLeaf();
        const fault = gh.faults.serverError(operation, { times: Infinity });
        await expect(
          runAction(
            pullRequestAction(gh),
            { leaf },
            { taskId: 'task-r', checkpoints },
          ),
        ).rejects.toThrow(/GitHub kept failing \(502\) after retries/);
        expect(fault.fired).toBe(4); // the call and 3 retries
        expect(workBranches(gh)).toEqual([]);
        expect(openPulls()).toEqual([]);

        gh.faults.clear();
        gh.resetCalls();
        const { outputs } = await runAction(
          pullRequestAction(gh),
          { leaf },
          { taskId: 'task-r', checkpoints },
        );
        expect(outputs.pullRequestNumber).toBe(1);
        expect(openPulls()).toHaveLength(1);
        expect(workBranches(gh)).toEqual([SEED_BRANCH]);
        // Completed checkpoints are not repeated: the run continues at the failed step
        // (branch and commit are one checkpoint, and the failed run removed the branch it
        // created; after a failed pull request the branch was removed, so it is made again).
        expect(operations(gh)).toEqual(CONTINUES_WITH[operation]);
      },
    );

    it.each(['git/create-ref', 'graphql/createCommitOnBranch', 'pulls/create'])(
      'when the answer to %s is lost after GitHub did it, the retry finds its own work: one branch, one pull request',
      async operation => {
        gh.faults.add({ operation, kind: 'drop-after' });
        const { outputs } = await runAction(
          pullRequestAction(gh),
          { leaf: await seedLeaf() },
          { taskId: 'task-lost' },
        );
        expect(outputs.pullRequestNumber).toBe(1);
        expect(openPulls()).toHaveLength(1);
        expect(workBranches(gh)).toEqual([SEED_BRANCH]);
        expect(
          gh.calls.filter(c => c.operation === operation).map(c => c.status),
        ).toEqual([
          0,
          // GraphQL answers 200 with errors: the branch moved (to our own commit).
          operation === 'graphql/createCommitOnBranch' ? 200 : 422,
        ]);
      },
    );

    it('after a crash once the branch exists, the task run again finds its branch and opens one pull request', async () => {
      const leaf = await seedLeaf();
      const checkpoints = new CheckpointStore();
      // The branch is created, its answer lost, then GitHub fails for good: the run fails...
      gh.faults.add({ operation: 'git/create-ref', kind: 'drop-after' });
      gh.faults.serverError('git/create-ref', { after: 1, times: Infinity });
      gh.faults.serverError('git/delete-ref', { times: Infinity }); // ...and cannot clean up.
      await expect(
        runAction(
          pullRequestAction(gh),
          { leaf },
          { taskId: 'task-crash', checkpoints },
        ),
      ).rejects.toThrow(/create the branch/);
      expect(workBranches(gh)).toEqual([SEED_BRANCH]);
      gh.faults.clear();
      const { outputs, logs } = await runAction(
        pullRequestAction(gh),
        { leaf },
        { taskId: 'task-crash', checkpoints },
      );
      // The branch is still at the base commit (no leaf commit yet): the run commits on it.
      expect(logs.join('\n')).toContain(
        'is at the base commit without a leaf commit',
      );
      expect(outputs.pullRequestNumber).toBe(1);
      expect(openPulls()).toHaveLength(1);
    });

    it('after a crash once the leaf is committed, the task run again adopts its own branch', async () => {
      const leaf = await seedLeaf();
      const checkpoints = new CheckpointStore();
      gh.faults.serverError('pulls/create', { times: Infinity });
      gh.faults.serverError('git/delete-ref', { times: Infinity });
      await expect(
        runAction(
          pullRequestAction(gh),
          { leaf },
          { taskId: 'task-crash', checkpoints: new CheckpointStore() },
        ),
      ).rejects.toThrow(/open the pull request/);
      gh.faults.clear();
      gh.resetCalls();
      const { outputs, logs } = await runAction(
        pullRequestAction(gh),
        { leaf },
        { taskId: 'task-crash', checkpoints },
      );
      expect(logs.join('\n')).toContain(
        'exists from an earlier run of this task; using it',
      );
      // Found in the base query: no branch or commit call.
      expect(operations(gh)).toEqual(['graphql', 'pulls/create']);
      expect(outputs.pullRequestNumber).toBe(1);
      expect(openPulls()).toHaveLength(1);
    });

    it('retries 5xx answers and dropped connections, then succeeds', async () => {
      gh.faults.serverError('pulls/create', { times: 2, status: 503 });
      gh.faults.add({
        operation: 'graphql/createCommitOnBranch',
        kind: 'drop',
      });
      const { outputs } = await runAction(pullRequestAction(gh), {
        leaf: await seedLeaf(),
      });
      expect(outputs.pullRequestNumber).toBe(1);
      expect(
        gh.calls.filter(c => c.operation === 'pulls/create').map(c => c.status),
      ).toEqual([503, 503, 201]);
      expect(
        gh.calls
          .filter(c => c.operation === 'graphql/createCommitOnBranch')
          .map(c => c.status),
      ).toEqual([0, 200]);
    });

    it('waits out a secondary rate limit (403 with Retry-After) and a 429 with Retry-After', async () => {
      gh.faults.secondaryRateLimit('graphql/createCommitOnBranch', {
        retryAfter: 2,
      });
      gh.faults.add({
        operation: 'git/create-ref',
        status: 429,
        headers: { 'retry-after': '1' },
        body: { message: 'Too Many Requests', documentation_url: 'x' },
      });
      const { outputs, logs } = await runAction(pullRequestAction(gh), {
        leaf: await seedLeaf(),
      });
      expect(outputs.pullRequestNumber).toBe(1);
      expect(logs.join('\n')).toMatch(
        /warn: GitHub secondary rate limit on POST .*graphql; retrying after 2 s/,
      );
      expect(logs.join('\n')).toMatch(
        /warn: GitHub answered 429 to POST .*git\/refs; retrying after 10 ms \(Retry-After\)/,
      );
    });

    it('gives up with a clear error when the rate limit resets after the time budget, leaving nothing behind', async () => {
      // The reset is an hour away (36 s here, where 1 s of waiting is 10 ms): past the 5 s budget.
      gh.faults.primaryRateLimit('pulls/create', {
        resetInSeconds: 3600,
        times: Infinity,
      });
      await expect(
        runAction(pullRequestAction(gh, { timeoutMs: 5000 }), {
          leaf: await seedLeaf(),
        }),
      ).rejects.toThrow(
        /Could not open the pull request in .*: GitHub's rate limit \(403\) did not clear within the time budget/,
      );
      expect(workBranches(gh)).toEqual([]);
    });

    it('stops at the time budget when GitHub keeps failing', async () => {
      gh.faults.serverError('git/create-ref', { times: Infinity });
      // 10 retries would back off 20, 80, 180, ... ms (7.7 s in all): the 3 s budget ends them.
      const action = pullRequestAction(gh, {
        timeoutMs: 3000,
        maxRetries: 10,
        retryBaseDelayMs: 20,
      });
      await expect(
        runAction(action, { leaf: await seedLeaf() }),
      ).rejects.toThrow(
        /Could not create the branch in .*(time budget of 3 s|GitHub kept failing \(502\) after retries)/,
      );
      const attempts = gh.calls.filter(
        c => c.operation === 'git/create-ref',
      ).length;
      // Without the budget it would make 11 attempts (the call and 10 retries).
      expect(attempts).toBeGreaterThanOrEqual(1);
      expect(attempts).toBeLessThan(11);
      expect(writes().filter(c => c.status !== 502)).toEqual([]);
    });
    it('does not wait for a GitHub that does not answer beyond the time budget', async () => {
      // Every call takes 2 s here; the budget is 500 ms: the first call is cut off.
      const slow = await startCatalogGitHub({ latencyMs: 2000 });
      try {
        await expect(
          runAction(pullRequestAction(slow, { timeoutMs: 500 }), {
            leaf: await seedLeaf(),
          }),
        ).rejects.toThrow(
          /Could not read the base branch in .*(time budget of 0.5 s|aborted due to timeout)/,
        );
        expect(slow.calls.filter(c => c.method !== 'GET')).toEqual([]);
      } finally {
        await slow.stop();
      }
    });
  });

  describe('concurrency and leftovers', () => {
    it('opens one pull request for 20 concurrent requests for the same service; the others get a clear conflict', async () => {
      const leaf = await seedLeaf();
      const action = pullRequestAction(gh);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          runAction(action, { leaf }, { taskId: `task-${i}` }),
        ),
      );
      const done = results.filter(r => r.status === 'fulfilled');
      const failed = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      const reasons = failed.map(
        r => `${r.reason?.name}: ${r.reason?.message}`,
      );
      expect({
        done: done.length,
        reasons: reasons.filter(m => !m.startsWith('ConflictError')),
      }).toEqual({ done: 1, reasons: [] });
      expect(failed).toHaveLength(19);
      for (const r of failed) {
        expect(r.reason.name).toBe('ConflictError');
        expect(r.reason.message).toMatch(
          /A pull request for catalog\/ml-inference\/dev\/ollama-phi.yaml is already open: http.*\/pull\/1|Another request for catalog\/ml-inference\/dev\/ollama-phi.yaml is in progress/,
        );
      }
      expect(gh.repo(OWNER, REPO).pulls).toHaveLength(1);
      expect(workBranches(gh)).toEqual([SEED_BRANCH]);
    });

    it('replaces the branch of a closed pull request', async () => {
      const leaf = await seedLeaf();
      await runAction(pullRequestAction(gh), { leaf }, { taskId: 'first' });
      const octokit = new Octokit({ baseUrl: gh.apiUrl, auth: TOKEN });
      await octokit.rest.pulls.update({
        owner: OWNER,
        repo: REPO,
        pull_number: 1,
        state: 'closed',
      });
      const { outputs, logs } = await runAction(
        pullRequestAction(gh),
        { leaf },
        { taskId: 'second' },
      );
      expect(outputs.pullRequestNumber).toBe(2);
      expect(logs.join('\n')).toContain(
        'left over from a closed or merged pull request; replacing it',
      );
      expect(git(gh, 'log', '-1', '--format=%B', SEED_BRANCH)).toContain(
        'Workload-Catalog-Task: second',
      );
    });

    it('does not take over a fresh branch of another request that has no pull request yet', async () => {
      const leaf = await seedLeaf();
      gh.faults.serverError('pulls/create', { times: Infinity });
      gh.faults.serverError('git/delete-ref', { times: Infinity }); // the first request cannot clean up
      await expect(
        runAction(pullRequestAction(gh), { leaf }, { taskId: 'first' }),
      ).rejects.toThrow();
      gh.faults.clear();
      await expect(
        runAction(pullRequestAction(gh), { leaf }, { taskId: 'second' }),
      ).rejects.toThrow(
        /Another request for catalog\/ml-inference\/dev\/ollama-phi.yaml is in progress \(branch .*, task first, created \d+ s ago, no pull request yet\)/,
      );
    });
  });

  describe('dry run', () => {
    it('shows the leaf, its path and the pull request, and writes nothing', async () => {
      const { outputs, logs } = await runAction(
        pullRequestAction(gh),
        { leaf: await seedLeaf() },
        { dryRun: true },
      );
      expect(writes()).toEqual([]);
      expect(workBranches(gh)).toEqual([]);
      expect(outputs).toEqual({
        pullRequestUrl: `${gh.url}/${OWNER}/${REPO}/compare/main...${SEED_BRANCH}`,
        pullRequestNumber: 0,
        branch: SEED_BRANCH,
        leafPath: SEED_PATH,
        title: 'Add ollama-phi in dev: phi:latest on 1 GPU',
      });
      expect(logs.join('\n')).toContain(
        `Dry run: nothing is written. A real run opens "Add ollama-phi in dev: phi:latest on 1 GPU" from ${SEED_BRANCH} into main`,
      );
      expect(logs.join('\n')).toContain('model: phi:latest');
    });

    it('fails like a real run when the leaf already exists', async () => {
      const leaf = await readExampleLeaf('valid/shop/dev/orders-api.yaml');
      await expect(
        runAction(pullRequestAction(gh), { leaf }, { dryRun: true }),
      ).rejects.toThrow(
        /catalog\/shop\/dev\/orders-api.yaml already exists on main/,
      );
      expect(writes()).toEqual([]);
    });

    it('still shows the leaf when the catalog repo cannot be read', async () => {
      gh.faults.serverError(undefined, { times: Infinity });
      const { outputs, logs } = await runAction(
        pullRequestAction(gh),
        { leaf: await seedLeaf() },
        { dryRun: true },
      );
      expect(outputs.leafPath).toBe(SEED_PATH);
      expect(logs.join('\n')).toMatch(
        /warn: Dry run: could not read the catalog repo/,
      );
      expect(writes().filter(c => c.status !== 502)).toEqual([]);
    });
  });

  describe('permissions and credentials', () => {
    it('allows only what the policy allows: a condition on the environment', async () => {
      const permissions = mockServices.permissions.mock();
      permissions.authorizeConditional.mockResolvedValue([
        createWorkloadLeafConditionalDecision(
          workloadCatalogPullRequestCreatePermission,
          workloadLeafConditions.isInEnvironment({ environments: ['dev'] }),
        ),
      ]);
      const action = pullRequestAction(gh, { options: { permissions } });
      const seed = await seedLeaf();
      await expect(
        runAction(action, { leaf: { ...seed, environment: 'prod' } }),
      ).rejects.toThrow(
        /You are not allowed to propose ollama-phi in environment "prod" .*workload-catalog.pull-request.create/,
      );
      expect(gh.calls).toEqual([]);
      await expect(runAction(action, { leaf: seed })).resolves.toBeDefined();
      expect(permissions.authorizeConditional).toHaveBeenCalledWith(
        [{ permission: workloadCatalogPullRequestCreatePermission }],
        expect.anything(),
      );
    });

    it('refuses everything when the policy denies', async () => {
      const permissions = mockServices.permissions.mock();
      permissions.authorizeConditional.mockResolvedValue([
        { result: AuthorizeResult.DENY },
      ]);
      await expect(
        runAction(pullRequestAction(gh, { options: { permissions } }), {
          leaf: await seedLeaf(),
        }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      expect(gh.calls).toEqual([]);
    });

    it('names the missing integration when app-config has none for the catalog repo host', async () => {
      const action = pullRequestAction(gh, {
        options: {
          catalogRepo: {
            host: 'ghe.example.com',
            owner: OWNER,
            repo: REPO,
            url: 'https://ghe.example.com/acme/gitops-catalog',
            baseBranch: 'main',
            leafPathPattern:
              'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
            branchPrefix: 'workload-catalog',
          },
        },
      });
      await expect(
        runAction(action, { leaf: await seedLeaf() }),
      ).rejects.toThrow(
        /No GitHub integration for host "ghe.example.com": add it under integrations.github/,
      );
    });

    it('reports rejected credentials clearly', async () => {
      await gh.stop();
      gh = await LocalGitHub.start({
        tokens: ['another-token'],
        repos: [{ owner: OWNER, repo: REPO }],
      });
      await expect(
        runAction(pullRequestAction(gh), { leaf: await seedLeaf() }),
      ).rejects.toThrow(/GitHub rejected the credentials \(401\)/);
    });

    it('names the base branch when it does not exist', async () => {
      const action = pullRequestAction(gh, {
        options: {
          catalogRepo: {
            host: gh.host,
            owner: OWNER,
            repo: REPO,
            url: `${gh.url}/${OWNER}/${REPO}`,
            baseBranch: 'production',
            leafPathPattern:
              'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
            branchPrefix: 'workload-catalog',
          },
        },
      });
      await expect(
        runAction(action, { leaf: await seedLeaf() }),
      ).rejects.toThrow(
        /has no branch "production" \(workloadCatalog.catalogRepo.baseBranch\)/,
      );
    });
  });
});
