/** A response body went past `maxResponseBytes`. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the body is larger than maxResponseBytes (${maxBytes} bytes)`);
  }
}

/**
 * Refuses a body over `maxBytes` without reading it all: at once by its Content-Length, else (chunked or
 * compressed, where the length says nothing of what comes out) by counting while it is read.
 */
export function limitBody(response: Response, maxBytes: number): Response {
  const declared = response.headers.get('Content-Length');
  const encoded = response.headers.has('Content-Encoding');
  if (declared !== null && !encoded) {
    if (Number(declared) <= maxBytes) return response;
    response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(maxBytes);
  }
  if (response.body === null) return response;
  let seen = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(new BodyTooLargeError(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  const { status, statusText, headers } = response;
  return new Response(counted, { status, statusText, headers });
}
