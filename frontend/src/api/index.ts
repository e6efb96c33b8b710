export { API_BASE_URL, buildUrl, createApiClient } from './client';
export type { ApiClient, ApiClientOptions, HttpMethod, RequestOptions } from './client';
export { ApiError, NETWORK_ERROR, apiErrorFromBody, isApiError } from './errors';
export type { FieldProblem } from './errors';
