/*
 * Test helpers: a local GitHub with a catalog repository, the real client factory pointed
 * at it through @backstage/integration, a checkpoint store that behaves like the
 * scaffolder's (successes are replayed, failures run again), and a runner for actions.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonObject, JsonValue } from '@backstage/types';
import {
  LocalGitHub,
  type LocalGitHubOptions,
} from '@workload-catalog/github-local';
import { parseLeafFile } from '@workload-catalog/plugin-workload-catalog-common';
import {
  createCatalogPullRequestAction,
  type CatalogPullRequestActionOptions,
} from '../actions/catalogPullRequest';
import { createDefaultGithubClientFactory } from '@workload-catalog/plugin-workload-catalog-node';

export const EXAMPLES_DIR = path.resolve(
  __dirname,
  '../../../../examples/catalog',
);
export const OWNER = 'acme';
export const REPO = 'gitops-catalog';
export const TOKEN = 'test-token';

export async function readExampleLeaf(
  relative: string,
): Promise<Record<string, unknown>> {
  const text = await fs.readFile(path.join(EXAMPLES_DIR, relative), 'utf8');
  return parseLeafFile(text).value as Record<string, unknown>;
}

/** The seed leaf of the architecture document. */
export const seedLeaf = () =>
  readExampleLeaf('valid/ml-inference/dev/ollama-phi.yaml');

/** A local GitHub with acme/gitops-catalog; `catalog/shop/dev/orders-api.yaml` already exists. */
export async function startCatalogGitHub(
  options: {
    latencyMs?: number;
    files?: Record<string, Buffer | string>;
    apps?: LocalGitHubOptions['apps'];
    tokens?: string[];
  } = {},
): Promise<LocalGitHub> {
  const orders = await fs.readFile(
    path.join(EXAMPLES_DIR, 'valid/shop/dev/orders-api.yaml'),
  );
  return LocalGitHub.start({
    tokens: options.tokens ?? [TOKEN],
    apps: options.apps,
    latencyMs: options.latencyMs,
    repos: [
      {
        owner: OWNER,
        repo: REPO,
        files: {
          'README.md': '# GitOps catalog\n',
          'catalog/shop/dev/orders-api.yaml': orders,
          ...options.files,
        },
      },
    ],
  });
}

export interface ActionSetup {
  /** The integrations.github entry's credentials (default: `token: TOKEN`). */
  credentials?: Record<string, unknown>;
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  options?: Partial<CatalogPullRequestActionOptions>;
}

/** The pull request action against the local GitHub, with the real credentials path. */
export function pullRequestAction(gh: LocalGitHub, setup: ActionSetup = {}) {
  const config = new ConfigReader({
    integrations: {
      github: [
        {
          host: gh.host,
          apiBaseUrl: gh.apiUrl,
          ...(setup.credentials ?? { token: TOKEN }),
        },
      ],
    },
  });
  const githubClientFactory = createDefaultGithubClientFactory({
    integrations: ScmIntegrations.fromConfig(config),
    // Generous: the suite runs on 2 cores beside other test projects.
    timeoutMs: setup.timeoutMs ?? 120_000,
    maxRetries: setup.maxRetries ?? 3,
    // Tests keep GitHub's waits short: 1 s of Retry-After is 10 ms here.
    retryBaseDelayMs: setup.retryBaseDelayMs ?? 5,
    retryAfterUnitMs: 10,
  });
  return createCatalogPullRequestAction({
    githubClientFactory,
    catalogRepo: {
      host: gh.host,
      owner: OWNER,
      repo: REPO,
      url: `${gh.url}/${OWNER}/${REPO}`,
      baseBranch: 'main',
      leafPathPattern:
        'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml',
      branchPrefix: 'workload-catalog',
    },
    policy: {
      environments: ['dev', 'staging', 'prod'],
      namespaces: ['ml-workloads', 'shop'],
      maxGpuCount: 8,
    },
    appBaseUrl: 'http://backstage.test',
    ...setup.options,
  });
}

/** Checkpoints as the scaffolder keeps them: a success is replayed, a failure runs again. */
export class CheckpointStore {
  readonly values = new Map<string, JsonValue>();

  checkpoint = async <T extends JsonValue | void>(opts: {
    key: string;
    fn: () => Promise<T> | T;
  }): Promise<T> => {
    if (this.values.has(opts.key)) return this.values.get(opts.key) as T;
    const value = await opts.fn();
    this.values.set(opts.key, value as JsonValue);
    return value;
  };
}

export interface RunResult {
  outputs: Record<string, unknown>;
  logs: string[];
}

/** Runs an action as the scaffolder would, collecting outputs and log lines. */
export async function runAction(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
  options: {
    taskId?: string;
    checkpoints?: CheckpointStore;
    dryRun?: boolean;
    userRef?: string;
  } = {},
): Promise<RunResult> {
  const outputs: Record<string, unknown> = {};
  const logs: string[] = [];
  const logger = mockServices.logger.mock();
  for (const level of ['info', 'warn', 'error', 'debug'] as const) {
    (logger[level] as jest.Mock).mockImplementation((message: string) =>
      logs.push(`${level}: ${message}`),
    );
  }
  const ctx = {
    ...createMockActionContext({
      input: input as JsonObject,
      task: { id: options.taskId ?? 'task-1' },
      user: { ref: options.userRef ?? 'user:default/jane' },
    }),
    logger,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    checkpoint: (options.checkpoints ?? new CheckpointStore()).checkpoint,
    isDryRun: options.dryRun ?? false,
  };
  await action.handler(ctx as any);
  return { outputs, logs };
}

/** git in the local GitHub's repository. */
export function git(gh: LocalGitHub, ...args: string[]): string {
  return execFileSync('git', args, {
    env: { ...process.env, GIT_DIR: gh.repo(OWNER, REPO).git.dir },
  }).toString();
}

/** Branches other than main. */
export function workBranches(gh: LocalGitHub): string[] {
  return git(gh, 'for-each-ref', '--format=%(refname:strip=2)', 'refs/heads')
    .split('\n')
    .filter(b => b && b !== 'main');
}

export const WRITE_OPERATIONS = [
  'graphql/createCommitOnBranch',
  'git/create-tree',
  'git/create-commit',
  'git/create-ref',
  'git/update-ref',
  'git/delete-ref',
  'git/create-blob',
  'pulls/create',
  'pulls/update',
  'pulls/request-reviewers',
  'issues/add-labels',
];

/** Operation ids of the calls so far, e.g. ['repos/get-branch', ...]. */
export const operations = (gh: LocalGitHub) => gh.calls.map(c => c.operation);
