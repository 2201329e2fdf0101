// The browser's one way to call the REST API: by endpoint name from the contract
// (protocol/http.ts), which gives the method, the path and the schemas. The answer is parsed,
// never trusted, and every outcome is a value: a network failure or an answer that fits
// neither the endpoint's success nor the error shape becomes a failure with its own code.

import {
  ApiError,
  httpEndpoints,
  type AckError,
  type HttpEndpointName,
  type HttpRequestBody,
  type HttpSuccess,
} from '../protocol';

/** Failures only the client can see: the request never got an answer, or not a readable one. */
export type ClientFailureCode = 'NETWORK' | 'BAD_RESPONSE';

export type ApiFailure =
  AckError | { ok: false; code: ClientFailureCode; message: string; retryAfterMs?: undefined };

export type ApiResult<N extends HttpEndpointName> = HttpSuccess<N> | ApiFailure;

/** The body argument: required for endpoints that read one, absent for the others. */
type BodyArgument<N extends HttpEndpointName> = [HttpRequestBody<N>] extends [never]
  ? []
  : [body: HttpRequestBody<N>];

export const NETWORK_FAILURE_MESSAGE =
  'Could not reach the server. Check your connection and try again.';

export async function callApi<N extends HttpEndpointName>(
  name: N,
  ...[body]: BodyArgument<N>
): Promise<ApiResult<N>> {
  const endpoint = httpEndpoints[name];
  let response: Response;
  let json: unknown;
  try {
    response = await fetch(endpoint.path, {
      method: endpoint.method,
      cache: 'no-store',
      // Every state change goes as JSON ({} for endpoints that read no body): the server
      // refuses anything else.
      ...(endpoint.method === 'GET'
        ? {}
        : {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(endpoint.body ? body : {}),
          }),
    });
    json = await response.json().catch(() => undefined);
  } catch {
    return { ok: false, code: 'NETWORK', message: NETWORK_FAILURE_MESSAGE };
  }
  if (response.ok) {
    const success = endpoint.response.safeParse(json);
    if (success.success) return success.data as HttpSuccess<N>;
  }
  const failure = ApiError.safeParse(json);
  if (failure.success && !response.ok) return failure.data;
  return {
    ok: false,
    code: 'BAD_RESPONSE',
    message: `The server gave an answer Parley cannot read (HTTP ${response.status}). Try again.`,
  };
}
