// toNodeListener: mounts a Fetch-API notification handler in node:http or an Express-style app. Written
// against the shapes it uses, not node's types, so the published declarations need no @types/node.
import { errorAnswer } from './answers.ts';
import type { NotificationHandler } from './handler.ts';
import { jsonText } from './json-text.ts';

/** What the listener reads of node's IncomingMessage (Express's Request is one too). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string | undefined } | undefined;
  /** Set by a body parser such as `express.json()`, which then has read the stream already. */
  body?: unknown;
  readableEnded?: boolean | undefined;
}

/** What the listener uses of node's ServerResponse. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(chunk: string): unknown;
}

function headersOf(request: NodeRequestLike, bodyWasParsed: boolean): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    // A re-serialized body has its own length.
    if (value === undefined || (bodyWasParsed && /^(content-length|transfer-encoding)$/i.test(name)))
      continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

function streamOf(source: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
    },
    // On an oversized body the handler stops reading; the socket stays open so the 413 can be sent.
  });
}

/** The body some middleware already parsed, as the handler expects raw text. */
function parsedBody(body: unknown): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return jsonText(body, false); // no recursion: a deep body must not overflow the stack
}

/** Methods Fetch refuses to build a Request for (node hands TRACE to the listener; CONNECT never). */
const FORBIDDEN_METHODS = /^(CONNECT|TRACE|TRACK)$/;

/** The Fetch Request for a node request: its stream, or the body a parser such as express.json() read. */
export function toFetchRequest(request: NodeRequestLike): Request {
  const method = (request.method ?? 'GET').toUpperCase();
  const bodyWasParsed = request.readableEnded === true;
  const init: RequestInit & { duplex?: 'half' } = { method, headers: headersOf(request, bodyWasParsed) };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = bodyWasParsed ? parsedBody(request.body) : streamOf(request);
    init.duplex = 'half'; // a streamed request body (required by Node's fetch)
  }
  // Only the path matters to the handler; the Host header is the client's to choose, so not trusted here.
  return new Request(new URL(request.url ?? '/', 'http://localhost'), init);
}

/**
 * A `(req, res)` listener for `http.createServer` or `app.post(path, ...)` in Express, also after
 * `express.json()` read the body. It answers every request itself, never calls `next`, never rejects.
 */
export function toNodeListener(
  handler: NotificationHandler,
): (request: NodeRequestLike, response: NodeResponseLike) => Promise<void> {
  return async (request, response) => {
    let answer: Response;
    try {
      answer = FORBIDDEN_METHODS.test((request.method ?? '').toUpperCase())
        ? errorAnswer(
            405,
            'WRONG_EVENT_FORMAT',
            `method ${request.method} is not allowed: notifications come as POST`,
            { allow: 'POST' },
          )
        : await handler(toFetchRequest(request), { remoteAddress: request.socket?.remoteAddress });
    } catch {
      // The handler answers every failure itself; this is a last resort, still shaped as the spec says.
      answer = new Response(JSON.stringify({ error: { type: 'UNKNOWN', message: 'internal error' } }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    }
    try {
      const text = await answer.text();
      response.statusCode = answer.status;
      answer.headers.forEach((value, name) => {
        response.setHeader(name, value);
      });
      // A body left unread (too large): close the connection rather than let node read the rest of it.
      if (request.readableEnded === false) response.setHeader('connection', 'close');
      response.end(text);
    } catch {
      // The response cannot be written (the client went away): nothing is left to tell it. The returned
      // promise never rejects, since node:http would report that as an unhandled rejection.
    }
  };
}
