/*
 * Fault injection: make chosen calls fail the way GitHub (or the network) does.
 */
import {
  FaultRegistry,
  type ActiveFault,
} from '@workload-catalog/local-server-kit';

export type FaultKind =
  /** Answer with `status` (and `headers`, `body`) instead of handling the request. */
  | 'status'
  /** Close the connection without handling the request (nothing changes). */
  | 'drop'
  /** Handle the request (the change happens), then close the connection without answering. */
  | 'drop-after';

export interface FaultSpec {
  /** GitHub's operationId (e.g. `git/create-ref`), or `graphql`; every operation when not set. */
  operation?: string;
  /** Let this many matching calls through before the fault fires (default 0). */
  after?: number;
  /** How many matching calls fail (default 1; `Infinity` for all). */
  times?: number;
  /** Default: `status` when `status` is set, else `drop`. */
  kind?: FaultKind;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A fault as kept: `after`, `times` and `kind` filled in; `seen` and `fired` count calls. */
export type Fault = ActiveFault<FaultSpec>;

const DOCS = 'https://docs.github.com/rest';

/**
 * The faults of a LocalGitHub, matched on the operation; `add`, `take`, `clear` and
 * `active` come from the kit's FaultRegistry.
 */
export class FaultInjector extends FaultRegistry<FaultSpec> {
  constructor() {
    super(spec => spec.operation);
  }

  /** A 5xx answer (default 502) for the next `times` calls of an operation. */
  serverError(
    operation?: string,
    options: { times?: number; status?: number; after?: number } = {},
  ): Fault {
    const status = options.status ?? 502;
    return this.add({
      operation,
      times: options.times,
      after: options.after,
      status,
      body: {
        message: status === 502 ? 'Server Error' : 'Service Unavailable',
        documentation_url: DOCS,
      },
    });
  }

  /** GitHub's secondary rate limit: 403 with Retry-After (seconds). */
  secondaryRateLimit(
    operation?: string,
    options: { retryAfter?: number; times?: number; after?: number } = {},
  ): Fault {
    return this.add({
      operation,
      times: options.times,
      after: options.after,
      status: 403,
      headers: { 'retry-after': String(options.retryAfter ?? 1) },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
      },
    });
  }

  /** GitHub's primary rate limit: 403 with x-ratelimit-remaining 0 and a reset time. */
  primaryRateLimit(
    operation?: string,
    options: { resetInSeconds?: number; times?: number; after?: number } = {},
  ): Fault {
    const reset = Math.floor(Date.now() / 1000) + (options.resetInSeconds ?? 1);
    return this.add({
      operation,
      times: options.times,
      after: options.after,
      status: 403,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': 'core',
      },
      body: {
        message: 'API rate limit exceeded for user ID 1.',
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-primary-rate-limits`,
      },
    });
  }
}
