/*
 * Fault injection: make chosen calls fail the way GitHub (or the network) does.
 */

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

export interface Fault extends Required<
  Pick<FaultSpec, 'after' | 'times' | 'kind'>
> {
  spec: FaultSpec;
  /** Matching calls seen so far. */
  seen: number;
  /** How many times the fault fired. */
  fired: number;
}

const DOCS = 'https://docs.github.com/rest';

export class FaultInjector {
  private faults: Fault[] = [];

  /** Adds a fault; returns it so a test can read how often it fired. */
  add(spec: FaultSpec): Fault {
    const fault: Fault = {
      spec,
      after: spec.after ?? 0,
      times: spec.times ?? 1,
      kind: spec.kind ?? (spec.status !== undefined ? 'status' : 'drop'),
      seen: 0,
      fired: 0,
    };
    this.faults.push(fault);
    return fault;
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

  /** The fault to apply to this call, if any (counts the call for every matching fault). */
  take(operation: string): Fault | undefined {
    let chosen: Fault | undefined;
    for (const fault of this.faults) {
      if (
        fault.spec.operation !== undefined &&
        fault.spec.operation !== operation
      )
        continue;
      fault.seen++;
      if (chosen) continue;
      if (fault.seen > fault.after && fault.fired < fault.times) {
        fault.fired++;
        chosen = fault;
      }
    }
    return chosen;
  }

  clear(): void {
    this.faults = [];
  }

  get active(): readonly Fault[] {
    return this.faults;
  }
}
