import type { ApiError } from './errors';
import { apiErrorFromBody, networkError, parseRetryAfter } from './errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

/**
 * How the client keeps a signed-in session going. The client never stores credentials; the
 * owner of the tokens (the user store) answers these.
 */
export interface SessionHooks {
  getAccessToken: () => string | null;
  /**
   * Gets a new access token after a 401. Resolves true when renewed, false when the session is
   * over (the refresh token was refused); rejects when the server could not be asked.
   */
  renewSession?: () => Promise<boolean>;
  /** Called once per failed renewal, after which requests go out unauthenticated. */
  onSessionExpired?: () => void;
}

export interface ApiClientOptions extends Partial<SessionHooks> {
  /** Where the versioned API lives; the same origin by default. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  method?: HttpMethod;
  /** JSON-encoded, except FormData, which goes out as multipart. */
  body?: unknown;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sent without the bearer token and never renews the session (sign-in, refresh, …). */
  anonymous?: boolean;
}

type BodylessOptions = Omit<RequestOptions, 'method' | 'body'>;

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: BodylessOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method'>): Promise<T>;
  put<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method'>): Promise<T>;
  delete<T>(path: string, options?: BodylessOptions): Promise<T>;
}

export const API_BASE_URL = '/api/v1';

export function buildUrl(
  baseUrl: string,
  path: string,
  query?: Record<string, QueryValue>,
): string {
  const url = `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) {
      params.append(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) {
    return undefined;
  }
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) {
    return text;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function encodeBody(body: unknown): BodyInit | null {
  if (body === undefined) {
    return null;
  }
  return body instanceof FormData ? body : JSON.stringify(body);
}

async function failure(response: Response): Promise<ApiError> {
  // Retry-After is the rule; the window's reset time stands in when a proxy dropped it.
  const retryAfter =
    parseRetryAfter(response.headers.get('Retry-After')) ??
    (response.status === 429
      ? parseRetryAfter(response.headers.get('X-RateLimit-Reset'))
      : undefined);
  return apiErrorFromBody(response.status, await readBody(response), retryAfter);
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? API_BASE_URL;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const renewal = createRenewal(options);

  async function send(path: string, request: RequestOptions, token: string | null) {
    const { method = 'GET', body, query, signal } = request;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined && !(body instanceof FormData)) {
      // A multipart body sets its own Content-Type, boundary included.
      headers['Content-Type'] = 'application/json';
    }
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    Object.assign(headers, request.headers);
    try {
      return await doFetch(buildUrl(baseUrl, path, query), {
        method,
        headers,
        body: encodeBody(body),
        credentials: 'same-origin',
        signal: signal ?? null,
      });
    } catch (cause) {
      // A cancelled request is the caller's decision, not a failure to report.
      if (cause instanceof DOMException && cause.name === 'AbortError') {
        throw cause;
      }
      throw networkError(cause);
    }
  }

  async function request<T>(path: string, requestOptions: RequestOptions = {}): Promise<T> {
    const token = requestOptions.anonymous ? null : (options.getAccessToken?.() ?? null);
    let response = await send(path, requestOptions, token);
    if (response.status === 401 && token !== null && renewal) {
      const unauthorized = await failure(response);
      if (!(await renewal.renewAfterRejectionOf(token))) {
        throw unauthorized;
      }
      response = await send(path, requestOptions, options.getAccessToken?.() ?? null);
    }
    if (!response.ok) {
      throw await failure(response);
    }
    return (await readBody(response)) as T;
  }

  return {
    request,
    get: (path, opts) => request(path, { ...opts, method: 'GET' }),
    post: (path, body, opts) => request(path, { ...opts, method: 'POST', body }),
    put: (path, body, opts) => request(path, { ...opts, method: 'PUT', body }),
    delete: (path, opts) => request(path, { ...opts, method: 'DELETE' }),
  };
}

/**
 * One renewal at a time: requests refused together wait for the same refresh, because refresh
 * tokens rotate and presenting a used one signs the whole session out.
 */
function createRenewal({ getAccessToken, renewSession, onSessionExpired }: ApiClientOptions) {
  const renew = renewSession;
  if (!renew) {
    return null;
  }
  let inFlight: Promise<boolean> | null = null;

  const renewOnce = (): Promise<boolean> => {
    inFlight ??= renew()
      .then((renewed) => {
        if (!renewed) {
          onSessionExpired?.();
        }
        return renewed;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return {
    /** True when a request refused with `rejectedToken` may be sent again with a new one. */
    async renewAfterRejectionOf(rejectedToken: string): Promise<boolean> {
      const current = getAccessToken?.() ?? null;
      if (current !== null && current !== rejectedToken && inFlight === null) {
        // Renewed while this request was on its way; no need to refresh again.
        return true;
      }
      return renewOnce();
    },
  };
}
