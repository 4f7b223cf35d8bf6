import { ResponseError } from '@backstage/errors';

/**
 * What went wrong, in the backend's words: a ResponseError's message is only "Request failed
 * with 409"; the reason the backend gave is its cause.
 */
export function describeError(error: Error): string {
  if (ResponseError.is(error) && error.cause?.message)
    return error.cause.message;
  return error.message;
}
