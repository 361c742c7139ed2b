// toFastifyHandler: mounts a Fetch-API notification handler as a Fastify route handler, after Fastify's own
// JSON parser read the body. Written against the shapes it uses, so this entry imports no framework.
import type { NotificationHandler } from './handler.ts';
import { toFetchRequest } from './node-listener.ts';

/** What the route handler reads of Fastify's request. */
export interface FastifyRequestLike {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body Fastify's parser produced (for application/json: the parsed value). */
  body?: unknown;
  socket?: { remoteAddress?: string | undefined } | undefined;
}

/** What the route handler uses of Fastify's reply. */
export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload: string): FastifyReplyLike;
}

async function* nothing(): AsyncGenerator<Uint8Array> {}

/**
 * A route handler for `app.post('/notification', toFastifyHandler(handler))` with Fastify's default JSON
 * parser: a body that is not JSON gets Fastify's own 400, everything else the handler's answers.
 */
export function toFastifyHandler(
  handler: NotificationHandler,
): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<FastifyReplyLike> {
  return async (request, reply) => {
    const fetchRequest = toFetchRequest({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body,
      readableEnded: true, // the parser read the stream: the handler gets the re-serialized body
      [Symbol.asyncIterator]: nothing,
    });
    const answer = await handler(fetchRequest, { remoteAddress: request.socket?.remoteAddress });
    const text = await answer.text();
    reply.code(answer.status);
    answer.headers.forEach((value, name) => {
      reply.header(name, value);
    });
    return reply.send(text);
  };
}
