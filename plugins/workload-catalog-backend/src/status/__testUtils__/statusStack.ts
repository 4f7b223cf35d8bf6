/*
 * The three sources of a workload's status on 127.0.0.1 (local GitHub, Argo CD and Ollama),
 * a catalog repo with the seed leaf, and helpers that do what the scaffolder action, a
 * reviewer and the catalog provider do. Shared by the status tests.
 */
import type { Entity } from '@backstage/catalog-model';
import { Octokit } from '@octokit/rest';
import {
  LocalArgoCD,
  application,
  type ApplicationStatus,
} from '@workload-catalog/argocd-local';
import { LocalGitHub } from '@workload-catalog/github-local';
import { LocalOllama } from '@workload-catalog/ollama-local';
import {
  leafPathMatcher,
  leafToEntity,
} from '@workload-catalog/plugin-catalog-backend-module-workload-catalog';
import {
  createGithubClient,
  type GithubClientFactory,
} from '@workload-catalog/plugin-workload-catalog-node';

export const GITHUB_TOKEN = 'gh-token';
export const ARGOCD_TOKEN = 'argo-token';
export const PATTERN =
  'catalog/{serviceCatalog}/{environment}/{serviceName}.yaml';
export const SEED_PATH = 'catalog/ml-inference/dev/ollama-phi.yaml';
export const SEED_BRANCH =
  'workload-catalog/catalog/ml-inference/dev/ollama-phi';
export const APP_NAME = 'ml-inference.dev.ollama-phi';

export const seedLeaf = (
  model = 'phi:latest',
  gpus = 1,
) => `workloadType: OLLAMA_INFERENCE_LOAD
serviceName: ollama-phi
serviceCatalog: ml-inference
namespace: ml-workloads
environment: dev
model: "${model}"
gpu:
  count: ${gpus}
`;

export interface StatusStack {
  gh: LocalGitHub;
  argo: LocalArgoCD;
  ollama: LocalOllama;
  octokit: Octokit;
  repo: { owner: string; repo: string };
  webUrl: string;
  githubClientFactory: GithubClientFactory;
  /** Opens a pull request for the leaf, as workload:catalog:pull-request does. */
  openPull(
    text: string,
    title?: string,
  ): Promise<{ number: number; headSha: string }>;
  merge(number: number): Promise<string>;
  review(
    number: number,
    event: 'APPROVE' | 'REQUEST_CHANGES',
    body?: string,
  ): Promise<void>;
  /** Commits straight to main (another leaf), returning the new commit. */
  commitOther(path: string, text: string): Promise<string>;
  /** The entity the catalog provider makes of the seed leaf (merged or proposed). */
  entity(source: 'merged' | 'proposed', openPull?: number): Promise<Entity>;
  /** The Argo CD Application of the seed leaf, in a state. */
  setApp(status: ApplicationStatus): Promise<void>;
  stop(): Promise<void>;
}

export async function startStatusStack(
  options: { seeded?: boolean } = {},
): Promise<StatusStack> {
  const repo = { owner: 'local', repo: 'catalog' };
  const gh = await LocalGitHub.start({
    tokens: [GITHUB_TOKEN],
    repos: [
      {
        ...repo,
        files: {
          'README.md': '# catalog\n',
          ...(options.seeded ? { [SEED_PATH]: seedLeaf() } : {}),
        },
      },
    ],
  });
  const argo = await LocalArgoCD.start({ tokens: [ARGOCD_TOKEN] });
  const ollama = await LocalOllama.start();
  const octokit = new Octokit({ baseUrl: gh.apiUrl, auth: GITHUB_TOKEN });
  const webUrl = `${gh.url}/local/catalog`;
  const githubClientFactory: GithubClientFactory = async ({ logger: l }) =>
    createGithubClient({
      baseUrl: gh.apiUrl,
      token: GITHUB_TOKEN,
      timeoutMs: 5000,
      maxRetries: 0,
      logger: l,
    }) as any;

  const head = async () =>
    (await octokit.rest.repos.getBranch({ ...repo, branch: 'main' })).data
      .commit;

  const commit = async (
    path: string,
    text: string,
    parent: { sha: string; commit: { tree: { sha: string } } },
    message: string,
  ) => {
    const tree = await octokit.rest.git.createTree({
      ...repo,
      base_tree: parent.commit.tree.sha,
      tree: [{ path, mode: '100644', type: 'blob', content: text }],
    });
    const c = await octokit.rest.git.createCommit({
      ...repo,
      message,
      tree: tree.data.sha,
      parents: [parent.sha],
    });
    return c.data.sha;
  };

  const stack: StatusStack = {
    gh,
    argo,
    ollama,
    octokit,
    repo,
    webUrl,
    githubClientFactory,
    async openPull(text, title = 'Add ollama-phi in dev: phi:latest on 1 GPU') {
      const sha = await commit(SEED_PATH, text, await head(), title);
      try {
        await octokit.rest.git.createRef({
          ...repo,
          ref: `refs/heads/${SEED_BRANCH}`,
          sha,
        });
      } catch {
        await octokit.rest.git.updateRef({
          ...repo,
          ref: `heads/${SEED_BRANCH}`,
          sha,
          force: true,
        });
      }
      const pull = await octokit.rest.pulls.create({
        ...repo,
        head: SEED_BRANCH,
        base: 'main',
        title,
      });
      return { number: pull.data.number, headSha: sha };
    },
    async merge(number) {
      const res = await octokit.rest.pulls.merge({
        ...repo,
        pull_number: number,
      });
      return res.data.sha;
    },
    async review(number, event, body) {
      await octokit.rest.pulls.createReview({
        ...repo,
        pull_number: number,
        event,
        body,
      });
    },
    async commitOther(path, text) {
      const parent = await head();
      const sha = await commit(path, text, parent, `Add ${path}`);
      await octokit.rest.git.updateRef({ ...repo, ref: 'heads/main', sha });
      return sha;
    },
    async entity(source, openPull) {
      const ref = source === 'merged' ? 'main' : SEED_BRANCH;
      const content = await octokit.rest.repos.getContent({
        ...repo,
        path: SEED_PATH,
        ref,
      });
      const data = content.data as { sha: string; content: string };
      const fields = leafPathMatcher(PATTERN)(SEED_PATH)!;
      return leafToEntity(
        {
          path: SEED_PATH,
          sha: data.sha,
          text: Buffer.from(data.content, 'base64').toString('utf8'),
          source,
          ref,
          ...(openPull
            ? {
                openPull: {
                  number: openPull,
                  url: `${webUrl}/pull/${openPull}`,
                },
              }
            : {}),
        },
        fields,
        {
          webUrl,
          ...repo,
          baseBranch: 'main',
          leafPathPattern: PATTERN,
          branchPrefix: 'workload-catalog',
        },
        {
          defaultOwner: 'group:default/platform-team',
          lifecycles: {},
          argocd: {
            appNameTemplate: '{serviceCatalog}.{environment}.{serviceName}',
          },
        },
      ).entity;
    },
    async setApp(status) {
      await argo.upsert(
        application({
          name: APP_NAME,
          labels: {
            'workload-catalog.dev/service-name': 'ollama-phi',
            'workload-catalog.dev/catalog': 'ml-inference',
            'workload-catalog.dev/environment': 'dev',
            'workload-catalog.dev/workload-type': 'OLLAMA_INFERENCE_LOAD',
          },
          repoURL: `${webUrl}.git`,
          path: 'charts/ollama-inference-load',
          destination: { namespace: 'ml-workloads' },
          status,
        }),
      );
    },
    async stop() {
      await Promise.all([gh.stop(), argo.stop(), ollama.stop()]);
    },
  };
  return stack;
}
