// What a rejected fetch says about the request: was it sent at all, was it the network, or something else.

/** Connection codes that mean no connection was made, so the server cannot have seen the request. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** fetch threw because of the URL itself, not the network (undici: "bad port", a blocked port). */
export function isRefusedUrl(error: unknown): boolean {
  return causes(error).some((cause) => cause.message === 'bad port');
}

/** fetch rejected before any connection was made: nothing was sent. */
export function isNotConnected(error: unknown): boolean {
  // Stryker disable next-line ConditionalExpression: a check for the types; the set holds only strings
  return causes(error).some((cause) => typeof cause.code === 'string' && NOT_CONNECTED.has(cause.code));
}

/** Reading a body failed in its decoding (a corrupt gzip stream), not in its transport. */
export function isDecodingFailure(error: unknown): boolean {
  return causes(error).some((cause) => typeof cause.code === 'string' && cause.code.startsWith('Z_'));
}

/** The error and its causes, innermost last (a bounded walk: causes can form a cycle). */
function causes(error: unknown): Array<{ code?: unknown; message?: unknown }> {
  const chain: Array<{ code?: unknown; message?: unknown }> = [];
  for (let at = error; typeof at === 'object' && at !== null && chain.length < 5; ) {
    const link = at as { code?: unknown; message?: unknown; cause?: unknown };
    chain.push(link);
    at = link.cause;
  }
  return chain;
}

/** `fetch failed (ECONNREFUSED)`: the message and the innermost code or message, for error messages. */
export function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
  const detail =
    typeof inner?.code === 'string' ? inner.code : typeof inner?.message === 'string' ? inner.message : '';
  return detail === '' ? cause.message : `${cause.message} (${detail})`;
}
