// Any /api/ path no route handles: a JSON 404 like every other API error, not an HTML page.
import { ErrorCode, HTTP_STATUS } from '../../../protocol';

export const dynamic = 'force-dynamic';

function notFound(): Response {
  return Response.json(
    { ok: false, code: ErrorCode.NotFound, message: 'No such API endpoint.' },
    { status: HTTP_STATUS[ErrorCode.NotFound], headers: { 'cache-control': 'no-store' } },
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
