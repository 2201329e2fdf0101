// Every /api/ request, answered by the custom server: the route of the contract's endpoint
// (protocol/http.ts) for the path and method, a JSON 404 for a path that is not in it, and a
// JSON 405 (with Allow) for a method the path does not take.

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  API_NOT_FOUND_MESSAGE,
  ErrorCode,
  HTTP_MAX_BODY_BYTES,
  HTTP_STATUS,
  httpEndpoints,
  type HttpEndpointName,
  type HttpMethod,
} from '../../protocol';
import type { Deps } from '../deps';
import { safeError } from '../logger';
import { CLIENT_ADDRESS_HEADER, clientAddress } from './client-address';
import { errorResponse, isJsonContentType, jsonResponse, notJson, type ApiRoutes } from './respond';
import { sendWebResponse, toWebRequest } from './web-bridge';

/** Whether a request path belongs to the API (`/api` and everything below it). */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/** The endpoints at each path, by method. */
const ENDPOINTS_BY_PATH = new Map<string, Map<HttpMethod, HttpEndpointName>>();
for (const name of Object.keys(httpEndpoints) as HttpEndpointName[]) {
  const { path, method } = httpEndpoints[name];
  const byMethod = ENDPOINTS_BY_PATH.get(path) ?? new Map<HttpMethod, HttpEndpointName>();
  byMethod.set(method, name);
  ENDPOINTS_BY_PATH.set(path, byMethod);
}

export function createApiRouter(
  routes: ApiRoutes,
  deps: Pick<Deps, 'config' | 'logger'>,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    answer(req, res, routes, deps).catch((error: unknown) => {
      // The request itself broke (the client went away mid-body): nobody may be listening.
      deps.logger.warn({ event: 'http.request-failed', err: safeError(error) }, 'request failed');
      if (!res.headersSent) res.writeHead(400);
      res.end();
    });
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  routes: ApiRoutes,
  deps: Pick<Deps, 'config' | 'logger'>,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const method = req.method ?? 'GET';
  const isHead = method === 'HEAD';
  const byMethod = ENDPOINTS_BY_PATH.get(path);
  if (!byMethod) {
    await sendWebResponse(res, failure(ErrorCode.NotFound, API_NOT_FOUND_MESSAGE), isHead);
    return;
  }
  // HEAD is GET without the body; OPTIONS says what the path takes.
  const allowed = [...byMethod.keys(), ...(byMethod.has('GET') ? ['HEAD'] : []), 'OPTIONS'];
  const name = byMethod.get((isHead ? 'GET' : method) as HttpMethod);
  if (method === 'OPTIONS') {
    res.writeHead(204, { allow: allowed.join(', '), 'cache-control': 'no-store' }).end();
    return;
  }
  if (!name) {
    const refusal = failure(
      ErrorCode.MethodNotAllowed,
      `This endpoint takes ${listMethods([...byMethod.keys()])} only.`,
    );
    refusal.headers.set('allow', allowed.join(', '));
    await sendWebResponse(res, refusal, isHead);
    return;
  }
  // Every state change is JSON, a body-less one included: no form, whatever its Origin.
  if (method !== 'GET' && !isHead && !isJsonContentType(req.headers['content-type'])) {
    req.resume(); // the body goes unread
    await sendWebResponse(res, errorResponse(notJson(), deps.logger, name), false);
    return;
  }
  const request = await toWebRequest(req, {
    maxBodyBytes: HTTP_MAX_BODY_BYTES,
    // The address the server worked out; a value the client sent under this name is replaced.
    extraHeaders: {
      [CLIENT_ADDRESS_HEADER]: clientAddress(
        req.headers['x-forwarded-for'],
        req.socket.remoteAddress,
        deps.config.trustProxy,
      ),
    },
  });
  let response: Response;
  try {
    response = await routes[name](request);
  } catch (error) {
    // Routes answer their own failures (respond.ts#route); this is a last line.
    response = errorResponse(error, deps.logger, name);
  }
  await sendWebResponse(res, response, isHead);
}

function failure(code: ErrorCode, message: string): Response {
  return jsonResponse({ ok: false, code, message }, { status: HTTP_STATUS[code] });
}

/** "GET", "GET or PUT", "GET, POST or DELETE". */
function listMethods(methods: string[]): string {
  return methods.length === 1
    ? methods[0]!
    : `${methods.slice(0, -1).join(', ')} or ${methods.at(-1)!}`;
}
