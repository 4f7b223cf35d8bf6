/*
 * The octokit client of the actions: credentials from @backstage/integration (a token or a
 * GitHub App, per host, as Backstage's own GitHub actions get them), the integration's
 * apiBaseUrl (GitHub Enterprise, or the local GitHub of tests and `yarn start`), retries
 * with backoff for 5xx and dropped connections (@octokit/plugin-retry), rate limits with
 * Retry-After (@octokit/plugin-throttling), all inside one time budget per action run.
 */
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  type GithubCredentialsProvider,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

/** What an action asks the factory for. */
export interface GithubClientRequest {
  /** host[:port] of the repository (the integrations.github entry). */
  host: string;
  owner: string;
  repo: string;
  logger: LoggerService;
  /** Aborts the calls (the task was cancelled). */
  signal?: AbortSignal;
}

/** Makes the octokit client of one action run. Tests inject their own. */
export type GithubClientFactory = (
  request: GithubClientRequest,
) => Promise<Octokit>;

export interface GithubClientOptions {
  integrations: ScmIntegrationRegistry;
  credentialsProvider?: GithubCredentialsProvider;
  /** Total time for all calls of one action run, retries and waits included. */
  timeoutMs: number;
  /** Retries of one call. */
  maxRetries: number;
  /** First backoff step of plugin-retry (then 4x, 9x, ...). Default 1000; tests make it small. */
  retryBaseDelayMs?: number;
  /** One second of Retry-After, in ms. Default 1000; tests make it small. */
  retryAfterUnitMs?: number;
}

/** The time budget of an action run ran out; the message says where it went. */
export class GithubTimeoutError extends Error {
  name = 'GithubTimeoutError';
}

/** GitHub asked us to wait longer than the budget allows (rate limit). */
export class GithubRateLimitError extends Error {
  name = 'GithubRateLimitError';
}

interface BudgetOptions {
  deadline: number;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  retryAfterUnitMs: number;
  signal?: AbortSignal;
  logger: LoggerService;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    });
  });

function route(options: any): string {
  return `${options.method} ${String(options.url).replace(/^https?:\/\/[^/]+/, '')}`;
}

/**
 * The innermost layer, run for every attempt: refuses to start when the budget is spent,
 * gives each attempt a signal that fires at the deadline, honours 429 Retry-After, and
 * stops plugin-retry from scheduling a retry that would end after the deadline.
 */
function budgetPlugin(octokit: any, octokitOptions: any) {
  const budget: BudgetOptions | undefined = octokitOptions.budget;
  if (!budget) return {};
  octokit.hook.wrap('request', async (request: any, options: any) => {
    let tooManyRequests = 0;
    for (;;) {
      const remaining = budget.deadline - Date.now();
      if (remaining <= 0) {
        throw new GithubTimeoutError(
          `GitHub did not complete ${route(options)} within the time budget of ${budget.timeoutMs / 1000} s (workloadCatalog.github.timeoutSeconds)`,
        );
      }
      const signals = [AbortSignal.timeout(remaining)];
      if (budget.signal) signals.push(budget.signal);
      options.request = {
        ...options.request,
        signal: AbortSignal.any(signals),
      };
      try {
        return await request(options);
      } catch (error: any) {
        if (error?.status === 429 && tooManyRequests < budget.maxRetries) {
          const after = Number(error.response?.headers?.['retry-after']);
          const wait =
            (Number.isFinite(after) && after >= 0 ? after : 1) *
            budget.retryAfterUnitMs;
          if (Date.now() + wait < budget.deadline) {
            tooManyRequests++;
            budget.logger.warn(
              `GitHub answered 429 to ${route(options)}; retrying after ${wait} ms (Retry-After)`,
            );
            await sleep(wait, budget.signal);
            continue;
          }
          throw new GithubRateLimitError(
            `GitHub answered 429 to ${route(options)} and asked to wait ${after} s, more than is left of the time budget (${Math.round((budget.deadline - Date.now()) / 1000)} s)`,
          );
        }
        // plugin-retry backs off (n+1)^2 steps before retry n+1: do not let it sleep past the deadline.
        const retryCount = options.request?.retryCount ?? 0;
        const nextDelay = (retryCount + 1) ** 2 * budget.retryBaseDelayMs;
        if (Date.now() + nextDelay >= budget.deadline) {
          options.request.retries = retryCount;
        } else if (
          retryCount < budget.maxRetries &&
          (error?.status === undefined || error.status >= 500)
        ) {
          budget.logger.warn(
            `GitHub call ${route(options)} failed (${error?.status ?? 'no answer'}: ${error?.message}); retry ${retryCount + 1} of ${budget.maxRetries}`,
          );
        }
        throw error;
      }
    }
  });
  return {};
}

const ClientClass = Octokit.plugin(budgetPlugin, retry, throttling);

/** A pass-through for plugin-throttling's write pacing (see below). */
const noPacing = {
  key: () => ({
    schedule: (
      _options: unknown,
      fn: (...args: any[]) => any,
      ...args: any[]
    ) => Promise.resolve().then(() => fn(...args)),
  }),
};

/** Builds an octokit client with the retry, throttling and budget plugins. */
export function createGithubClient(options: {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  maxRetries: number;
  logger: LoggerService;
  signal?: AbortSignal;
  retryBaseDelayMs?: number;
  retryAfterUnitMs?: number;
}): Octokit {
  const budget: BudgetOptions = {
    deadline: Date.now() + options.timeoutMs,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 1000,
    retryAfterUnitMs: options.retryAfterUnitMs ?? 1000,
    signal: options.signal,
    logger: options.logger,
  };
  const { logger } = options;
  const withinBudget = (
    kind: string,
    retryAfter: number,
    requestOptions: any,
    retryCount: number,
  ) => {
    const wait = retryAfter * budget.retryAfterUnitMs;
    if (
      retryCount < options.maxRetries &&
      Date.now() + wait < budget.deadline
    ) {
      logger.warn(
        `GitHub ${kind} on ${route(requestOptions)}; retrying after ${retryAfter} s`,
      );
      return true;
    }
    logger.error(
      `GitHub ${kind} on ${route(requestOptions)}: it asks to wait ${retryAfter} s, more than the time budget allows (or ${options.maxRetries} retries were spent)`,
    );
    return false;
  };
  return new ClientClass({
    baseUrl: options.baseUrl,
    auth: options.token,
    userAgent: 'workload-catalog-scaffolder',
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
    budget,
    retry: {
      retries: options.maxRetries,
      retryAfterBaseValue: budget.retryBaseDelayMs,
      // 429 is handled with its Retry-After by the budget plugin.
      doNotRetry: [400, 401, 403, 404, 409, 422, 429, 451],
    },
    throttle: {
      enabled: true,
      retryAfterBaseValue: budget.retryAfterUnitMs,
      // plugin-throttling paces writes (1 s apart, 3 s for pull requests) across the whole
      // process. One pull request needs four writes; we rely on GitHub's Retry-After
      // instead, as Backstage's own pull request action does (it disables throttling).
      // Its process-wide concurrency group goes too: each action makes its calls one after
      // the other, and every Bottleneck step costs a few timer turns per call.
      global: noPacing,
      write: noPacing,
      notifications: noPacing,
      onRateLimit: (
        retryAfter: number,
        requestOptions: any,
        _o: unknown,
        retryCount: number,
      ) =>
        withinBudget(
          'rate limit (x-ratelimit-remaining: 0)',
          retryAfter,
          requestOptions,
          retryCount,
        ),
      onSecondaryRateLimit: (
        retryAfter: number,
        requestOptions: any,
        _o: unknown,
        retryCount: number,
      ) =>
        withinBudget(
          'secondary rate limit',
          retryAfter,
          requestOptions,
          retryCount,
        ),
    },
  } as any) as Octokit;
}

/**
 * The default factory: the integration for the host (apiBaseUrl) and its credentials from
 * DefaultGithubCredentialsProvider (token, or a GitHub App installation token).
 */
export function createDefaultGithubClientFactory(
  options: GithubClientOptions,
): GithubClientFactory {
  const credentialsProvider =
    options.credentialsProvider ??
    DefaultGithubCredentialsProvider.fromIntegrations(options.integrations);
  return async ({ host, owner, repo, logger, signal }) => {
    const integration = options.integrations.github.byHost(host);
    if (!integration) {
      throw new InputError(
        `No GitHub integration for host "${host}": add it under integrations.github in app-config.yaml (host, apiBaseUrl for GitHub Enterprise, and a token or a GitHub App)`,
      );
    }
    const { token } = await credentialsProvider.getCredentials({
      url: `https://${host}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`,
    });
    if (!token) {
      throw new InputError(
        `No credentials for ${host}/${owner}/${repo}: configure a token or a GitHub App installed on "${owner}" under integrations.github`,
      );
    }
    return createGithubClient({
      baseUrl: integration.config.apiBaseUrl ?? 'https://api.github.com',
      token,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      retryBaseDelayMs: options.retryBaseDelayMs,
      retryAfterUnitMs: options.retryAfterUnitMs,
      logger,
      signal,
    });
  };
}
