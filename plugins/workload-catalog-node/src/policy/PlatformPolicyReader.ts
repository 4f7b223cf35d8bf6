/*
 * The platform policy as the backend applies it: the catalog repo's
 * `.workload-catalog/policy.yaml` on the base branch (the same file the CLI reads in the
 * repo's CI), narrowed by Backstage config. Read through GitHub with a short cache; an
 * invalid policy file, or config that would widen it, fails every check that needs it
 * (closed, never open), with a message naming the file's line or the config key.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  narrowPolicy,
  parsePolicyFile,
  POLICY_FILE_PATH,
  type LeafPolicy,
} from '@workload-catalog/plugin-workload-catalog-common';
import type { WorkloadCatalogConfig } from '../config';
import type { GithubClientFactory } from '../github/client';

/** Config keys of the narrowing, for messages. */
const CONFIG_KEYS: Partial<Record<keyof LeafPolicy, string>> = {
  maxGpuCount: 'workloadCatalog.maxGpuCount',
  environments: 'workloadCatalog.environments',
  namespaces: 'workloadCatalog.namespaces',
};

/** The policy cannot be applied: its file is invalid, or config would widen it. */
export class PlatformPolicyError extends Error {
  name = 'PlatformPolicyError';
}

export interface PlatformPolicyReaderOptions {
  githubClientFactory: GithubClientFactory;
  catalogRepo: WorkloadCatalogConfig['catalogRepo'];
  /** What Backstage config says (workloadCatalog.maxGpuCount, environments, namespaces): it may only narrow the file. */
  configPolicy: LeafPolicy;
  logger: LoggerService;
  /** How long a read policy is used (default 60 s). */
  cacheTtlMs?: number;
  now?: () => number;
}

/** The effective policy: one reader per backend, shared by the actions, the form options and the Configure tab. */
export class PlatformPolicyReader {
  private cached?: { at: number; policy: Promise<LeafPolicy> };

  constructor(private readonly options: PlatformPolicyReaderOptions) {}

  private now() {
    return (this.options.now ?? Date.now)();
  }

  /** The policy in force; throws PlatformPolicyError when it cannot be applied. */
  async get(): Promise<LeafPolicy> {
    const ttl = this.options.cacheTtlMs ?? 60_000;
    if (!this.cached || this.now() - this.cached.at >= ttl) {
      const policy = this.load();
      this.cached = { at: this.now(), policy };
      // A failure is not kept: the next request reads again.
      policy.catch(() => {
        if (this.cached?.policy === policy) this.cached = undefined;
      });
    }
    return this.cached.policy;
  }

  /** Forget the cached policy (after a change to the policy file). */
  refresh(): void {
    this.cached = undefined;
  }

  private async load(): Promise<LeafPolicy> {
    const { catalogRepo, logger } = this.options;
    const where = `${POLICY_FILE_PATH} on ${catalogRepo.baseBranch} of ${catalogRepo.url}`;
    const client = await this.options.githubClientFactory({
      host: catalogRepo.host,
      owner: catalogRepo.owner,
      repo: catalogRepo.repo,
      logger,
    });
    let text: string | undefined;
    try {
      const { data } = await client.rest.repos.getContent({
        owner: catalogRepo.owner,
        repo: catalogRepo.repo,
        path: POLICY_FILE_PATH,
        ref: catalogRepo.baseBranch,
      });
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
        throw new PlatformPolicyError(`${where} is not a file`);
      text = Buffer.from(data.content, 'base64').toString('utf8');
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
    let base: LeafPolicy = {};
    if (text !== undefined) {
      const parsed = parsePolicyFile(text);
      if (!parsed.policy) {
        throw new PlatformPolicyError(
          `The platform policy ${where} is not valid, so nothing it governs can be checked:\n${parsed.issues
            .map(i => `- line ${i.line}: ${i.path}: ${i.message}`)
            .join('\n')}`,
        );
      }
      base = parsed.policy;
    }
    const { policy, problems } = narrowPolicy(
      base,
      this.options.configPolicy,
      CONFIG_KEYS,
    );
    if (problems.length) {
      throw new PlatformPolicyError(
        `Backstage config widens the platform policy (${where}):\n${problems.map(p => `- ${p}`).join('\n')}`,
      );
    }
    return policy;
  }
}

/** A fixed policy, or where to get the one in force (e.g. `() => reader.get()`). */
export type LeafPolicySource = LeafPolicy | (() => Promise<LeafPolicy>);

/** The policy a source stands for now. */
export async function resolveLeafPolicy(
  source: LeafPolicySource,
): Promise<LeafPolicy> {
  return typeof source === 'function' ? source() : source;
}
