// JSON in and out for the REST endpoints, with the same { ok, code, message } errors as acks.

import type { z } from 'zod';
import {
  describeZodError,
  ErrorCode,
  HTTP_MAX_BODY_BYTES,
  HTTP_STATUS,
  httpEndpoints,
  type HttpEndpointName,
  type HttpEndpoints,
} from '../../protocol';
import type { Config } from '../config';
import { authenticateToken, type AuthenticatedSession } from '../auth/sessions';
import type { Deps } from '../deps';
import { AppError, toAckError } from '../errors';
import { safeError, type Logger } from '../logger';
import { isFromApp } from './origin';
import { isSecureRequest, readSessionToken } from './session-cookie';

export type RouteHandler = (request: Request) => Promise<Response>;

/** A handler for every endpoint of the contract (protocol/http.ts), by its name. */
export type ApiRoutes = { [N in HttpEndpointName]: RouteHandler };

/** A route whose every failure becomes a JSON error (never a stack or SQL). */
export function route(
  deps: Pick<Deps, 'logger' | 'failpoints'>,
  name: string,
  run: RouteHandler,
): RouteHandler {
  return async (request) => {
    try {
      deps.failpoints.beforeHttpRoute?.(request);
      return await run(request);
    } catch (error) {
      return errorResponse(error, deps.logger, name);
    }
  };
}

/** The signed-in user of the request's cookie, or UNAUTHENTICATED. */
export async function requireSession(
  deps: Pick<Deps, 'sessionFinder'>,
  request: Request,
): Promise<AuthenticatedSession> {
  const session = await authenticateToken(deps, readSessionToken(request.headers.get('cookie')));
  if (!session) throw new AppError(ErrorCode.Unauthenticated, 'Not signed in.');
  return session;
}

const NO_STORE = { 'cache-control': 'no-store' };

export function jsonResponse(data: object, init?: { status?: number; headers?: HeadersInit }) {
  const headers = new Headers(init?.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  for (const [name, value] of Object.entries(NO_STORE)) headers.set(name, value);
  return new Response(JSON.stringify(data), { status: init?.status ?? 200, headers });
}

/** The success of endpoint `name`, with the status the contract gives it. */
export function successResponse<N extends HttpEndpointName>(
  name: N,
  data: z.input<HttpEndpoints[N]['response']>,
  headers?: HeadersInit,
): Response {
  return jsonResponse(data as object, {
    status: httpEndpoints[name].status,
    ...(headers ? { headers } : {}),
  });
}

export function errorResponse(error: unknown, logger: Logger, route: string): Response {
  if (!(error instanceof AppError)) {
    logger.error({ event: 'http.handler-failed', route, err: safeError(error) }, 'request failed');
  }
  const body = toAckError(error);
  // 429s say when to come back, in whole seconds (rounded up), as well as in the body.
  const headers =
    body.retryAfterMs === undefined
      ? undefined
      : { 'retry-after': String(Math.max(1, Math.ceil(body.retryAfterMs / 1000))) };
  return jsonResponse(body, { status: HTTP_STATUS[body.code], ...(headers ? { headers } : {}) });
}

/** Refuses cross-site state changes: a foreign Origin, or a browser that says cross-site. */
export function assertSameOrigin(
  request: Request,
  config: Pick<Config, 'allowedOrigins' | 'cookieSecure'>,
): void {
  const fromApp = isFromApp(
    {
      origin: request.headers.get('origin') ?? undefined,
      host: request.headers.get('host') ?? undefined,
      isSecure: isSecureRequest(request, config),
      fetchSite: request.headers.get('sec-fetch-site') ?? undefined,
    },
    config,
  );
  if (!fromApp) {
    throw new AppError(ErrorCode.Forbidden, 'This request must come from the Parley app itself.');
  }
}

/** Reads a JSON body of bounded size and parses it with `schema`. */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  if (!isJsonContentType(request.headers.get('content-type'))) throw notJson();
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > HTTP_MAX_BODY_BYTES) throw bodyTooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > HTTP_MAX_BODY_BYTES) throw bodyTooLarge();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError(ErrorCode.BadRequest, 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const { message, field } = describeZodError(parsed.error);
    throw new AppError(ErrorCode.BadRequest, message, field === undefined ? {} : { field });
  }
  return parsed.data;
}

function bodyTooLarge(): AppError {
  return new AppError(
    ErrorCode.PayloadTooLarge,
    `The request body is larger than ${HTTP_MAX_BODY_BYTES} bytes.`,
  );
}

/**
 * Whether a Content-Type header says JSON (`application/json`, parameters such as charset
 * allowed). Browsers send a cross-site request with this type only after a CORS preflight,
 * which Parley never grants, so a form another site posts can never pass as one.
 */
export function isJsonContentType(type: string | null | undefined): boolean {
  return type?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

export function notJson(): AppError {
  return new AppError(
    ErrorCode.UnsupportedMediaType,
    'Send the request as JSON, with the header Content-Type: application/json.',
  );
}
