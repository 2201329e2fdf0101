// Node's request and response objects to and from the Web's Request and Response, so that the
// REST route handlers stay plain `(Request) => Promise<Response>` functions.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * The request as a Web Request. At most `maxBodyBytes + 1` bytes of the body are read, enough
 * for the route to see that it is too large without holding a body of any size in memory (a
 * body declared larger is not read at all: the route refuses it by its Content-Length). The
 * rest is drained unread. `extraHeaders` replace what the client sent under those names.
 */
export async function toWebRequest(
  req: IncomingMessage,
  options: { maxBodyBytes: number; extraHeaders: Record<string, string> },
): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  for (const [name, value] of Object.entries(options.extraHeaders)) headers.set(name, value);
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const isDeclaredTooLarge = Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes;
  const body = !hasBody
    ? undefined
    : isDeclaredTooLarge
      ? Buffer.alloc(0)
      : await readBounded(req, options.maxBodyBytes + 1);
  if (!req.readableEnded) req.resume(); // what is left goes unread
  return new Request(requestUrl(req), { method, headers, ...(body ? { body } : {}) });
}

/** Writes `response` to `res`; a HEAD request gets the headers only. */
export async function sendWebResponse(
  res: ServerResponse,
  response: Response,
  isHead: boolean,
): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.setHeader('content-length', body.length);
  res.end(isHead ? undefined : body);
}

function requestUrl(req: IncomingMessage): string {
  const protocol = (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
  try {
    return new URL(req.url ?? '/', `${protocol}://${req.headers.host ?? 'localhost'}`).href;
  } catch {
    // A Host header that is no host: the routes never read it, the URL only has to parse.
    return new URL(req.url ?? '/', `${protocol}://localhost`).href;
  }
}

/** The body's first `limit` bytes (all of it when it is shorter). */
function readBounded(req: IncomingMessage, limit: number): Promise<Buffer<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    const finish = () => {
      req.off('data', onData);
      req.off('end', finish);
      req.off('error', reject);
      resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      const part = chunk.subarray(0, limit - kept);
      chunks.push(part);
      kept += part.length;
      if (kept >= limit) finish();
    };
    req.on('data', onData);
    req.once('end', finish);
    req.once('error', reject);
  });
}
