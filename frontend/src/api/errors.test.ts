import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromBody, errorMessage, isApiError, parseRetryAfter } from './errors';

describe('apiErrorFromBody', () => {
  it('reads code, message and details from the error envelope', () => {
    const error = apiErrorFromBody(409, {
      error: {
        code: 'email_taken',
        message: 'That email is already registered.',
        details: { n: 1 },
      },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(409);
    expect(error.code).toBe('email_taken');
    expect(error.message).toBe('That email is already registered.');
    expect(error.details).toEqual({ n: 1 });
  });

  it('falls back to a status code name when the envelope lacks a code', () => {
    const error = apiErrorFromBody(404, { error: { message: 'No such room.' } });
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('No such room.');
  });

  it('turns a reply without an envelope into a readable error', () => {
    const error = apiErrorFromBody(502, '<html>Bad gateway</html>');
    expect(error.code).toBe('http_502');
    expect(error.message).toMatch(/HTTP 502/);
    expect(error.details).toBeUndefined();
  });

  it('ignores an envelope whose fields have the wrong types', () => {
    const error = apiErrorFromBody(400, { error: { code: 7, message: ['x'] } });
    expect(error.code).toBe('bad_request');
    expect(error.message).toBe('The request failed (HTTP 400).');
  });

  it('keeps Retry-After for rate-limited requests', () => {
    const error = apiErrorFromBody(
      429,
      { error: { code: 'rate_limited', message: 'Slow down.' } },
      30,
    );
    expect(error.retryAfterSeconds).toBe(30);
  });
});

describe('ApiError.fieldErrors', () => {
  it('maps validation problems to form fields, first message wins', () => {
    const error = apiErrorFromBody(422, {
      error: {
        code: 'validation_failed',
        message: 'The request is not valid.',
        details: [
          {
            field: 'body.email',
            message: 'value is not a valid email address',
            type: 'value_error',
          },
          { field: 'body.email', message: 'second problem', type: 'x' },
          { field: 'query.limit', message: 'too large', type: 'x' },
          { unexpected: true },
        ],
      },
    });
    expect(error.fieldErrors).toEqual({
      email: 'value is not a valid email address',
      limit: 'too large',
    });
  });

  it('is empty when details are not a problem list', () => {
    expect(
      apiErrorFromBody(400, { error: { code: 'x', message: 'y', details: 'z' } }).fieldErrors,
    ).toEqual({});
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['12', 12],
    ['0', 0],
    [null, undefined],
    ['', undefined],
    ['soon', undefined],
    ['-3', undefined],
  ])('%j → %j', (header, expected) => {
    expect(parseRetryAfter(header)).toBe(expected);
  });
});

describe('isApiError', () => {
  it('tells ApiErrors from other errors', () => {
    expect(isApiError(new ApiError(400, 'x', 'y'))).toBe(true);
    expect(isApiError(new Error('y'))).toBe(false);
  });
});

describe('errorMessage', () => {
  it('spells out the wait of a rate-limited request', () => {
    const error = apiErrorFromBody(429, { error: { code: 'rate_limited', message: 'x' } }, 12.2);
    expect(errorMessage(error)).toBe('Too many attempts. Try again in 13 s.');
  });

  it("uses the server's message otherwise, and a generic one for foreign errors", () => {
    expect(errorMessage(new ApiError(401, 'invalid_credentials', 'Wrong email or password.'))).toBe(
      'Wrong email or password.',
    );
    expect(errorMessage(new TypeError('boom'))).toBe('Something went wrong. Please try again.');
  });
});
