/**
 * Errors from the REST API. The backend answers every failure with
 * `{"error": {"code", "message", "details"?}}`; anything else (a proxy's HTML page, a dropped
 * connection) is turned into the same shape here so callers handle one type.
 */

export const NETWORK_ERROR = 'network_error';

/** Codes the backend uses when it has nothing more specific; also used for foreign replies. */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'validation_failed',
  429: 'rate_limited',
  500: 'internal_error',
  503: 'unavailable',
};

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** From `Retry-After`, for rate-limited requests. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Validation problems keyed by form field (`body.email` → `email`). */
  get fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const problem of fieldProblems(this.details)) {
      const field = problem.field.replace(/^(body|query|path)\./, '');
      errors[field] ??= problem.message;
    }
    return errors;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldProblems(details: unknown): FieldProblem[] {
  if (!Array.isArray(details)) {
    return [];
  }
  return details.filter(
    (item): item is FieldProblem =>
      isRecord(item) && typeof item.field === 'string' && typeof item.message === 'string',
  );
}

export function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === '') {
    return undefined;
  }
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** Builds the ApiError for a failed response from its status and (already parsed) body. */
export function apiErrorFromBody(status: number, body: unknown, retryAfter?: number): ApiError {
  const fallbackCode = CODE_BY_STATUS[status] ?? `http_${status}`;
  const envelope = isRecord(body) ? body.error : undefined;
  if (isRecord(envelope)) {
    const code = typeof envelope.code === 'string' && envelope.code ? envelope.code : fallbackCode;
    const message =
      typeof envelope.message === 'string' && envelope.message
        ? envelope.message
        : defaultMessage(status);
    return new ApiError(status, code, message, envelope.details, retryAfter);
  }
  return new ApiError(status, fallbackCode, defaultMessage(status), undefined, retryAfter);
}

export function networkError(cause: unknown): ApiError {
  const error = new ApiError(0, NETWORK_ERROR, 'Cannot reach the server. Check your connection.');
  error.cause = cause;
  return error;
}

function defaultMessage(status: number): string {
  if (status === 429) {
    return 'Too many requests. Please wait a moment and try again.';
  }
  if (status >= 500) {
    return `The server had a problem (HTTP ${status}). Please try again.`;
  }
  return `The request failed (HTTP ${status}).`;
}

/** What to tell a person about a failed request: the server's words, plus the wait if any. */
export function errorMessage(error: unknown): string {
  if (!isApiError(error)) {
    return 'Something went wrong. Please try again.';
  }
  if (error.status === 429 && error.retryAfterSeconds !== undefined) {
    return `Too many attempts. Try again in ${Math.ceil(error.retryAfterSeconds)} s.`;
  }
  return error.message;
}
