import { ResponseError } from '@backstage/errors';
import { describeError } from './describeError';

describe('describeError', () => {
  it("gives the backend's reason for a failed request, else the message", async () => {
    const res = new Response(
      JSON.stringify({
        error: {
          name: 'ConflictError',
          message: 'A pull request is already open',
        },
        response: { statusCode: 409 },
      }),
      { status: 409, headers: { 'content-type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(res);
    expect(error.message).toBe('Request failed with 409 ');
    expect(describeError(error)).toBe('A pull request is already open');
    expect(describeError(new Error('plain'))).toBe('plain');
  });
});
