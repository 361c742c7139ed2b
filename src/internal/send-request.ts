// The engine's request sender: what openapi-fetch's `client.request` does for the engine's calls (no
// middleware, bodies read as text), built from openapi-fetch's own serializers. openapi-fetch's
// `createClient` is the largest part of openapi-fetch (about 2.6 KB min+gz): with this, the main entry
// leaves it out; only the typed raw client (src/raw) uses it.
import {
  createFinalURL,
  defaultBodySerializer,
  removeTrailingSlash,
  serializePrimitiveParam,
} from 'openapi-fetch';
import type { PlainRequest } from './plain-request.ts';

/**
 * What the engine passes for one request: openapi-fetch's params, body, fetch and Request class. Bodies
 * are always read as text (the engine parses them itself), as openapi-fetch's `parseAs: 'text'`.
 */
export interface SendInit {
  params: { path?: Record<string, unknown> | undefined; query?: Record<string, unknown> | undefined };
  body?: unknown;
  fetch: (request: Request | PlainRequest) => Promise<Response>;
  Request: new (
    url: string,
    init: RequestInit & { method: string; headers: Headers },
  ) => Request | PlainRequest;
}

export type SendRequest = (
  method: string,
  path: string,
  init: SendInit,
) => Promise<{ data?: string | undefined; error?: unknown; response: Response }>;

/**
 * openapi-fetch's default query serializer for what the spec's query parameters can be: primitives (the
 * generator refuses a spec whose query or path parameter is an array or object). Missing values are left out.
 */
function querySerializer(query: Record<string, unknown>): string {
  const search: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) search.push(serializePrimitiveParam(name, value as string));
  }
  return search.join('&');
}

/** openapi-fetch's default path serializer for `{name}` (simple style) and primitive values. */
function pathSerializer(path: string, values: Record<string, unknown>): string {
  return path.replace(/\{([^{}]+)\}/g, (template, name: string) => {
    const value = values[name];
    return value === undefined || value === null ? template : encodeURIComponent(value as string);
  });
}

/** A sender like `createClient({ baseUrl, headers, redirect: 'manual' }).request` with `parseAs: 'text'`. */
export function createSendRequest(baseUrl: string, baseHeaders: Record<string, string>): SendRequest {
  const base = removeTrailingSlash(baseUrl);
  return async (method, path, { params, body, fetch, Request }) => {
    // JSON text, or the FormData itself (openapi-fetch passes it through, though its types say string).
    const serialized = (body === undefined ? undefined : defaultBodySerializer(body)) as BodyInit | undefined;
    // FormData gets its Content-Type, with the boundary, from the Request built of it.
    const headers = new Headers(
      serialized === undefined || serialized instanceof FormData
        ? {}
        : { 'Content-Type': 'application/json' },
    );
    for (const [name, value] of Object.entries(baseHeaders)) headers.set(name, value);
    const url = createFinalURL(path, {
      baseUrl: base,
      // A missing query is read as none, as in openapi-fetch's own request.
      params: params as Parameters<typeof createFinalURL>[1]['params'],
      querySerializer,
      pathSerializer,
    });
    const upper = method.toUpperCase();
    const init = { redirect: 'manual', method: upper, body: serialized, headers } as RequestInit & {
      method: string;
      headers: Headers;
    };
    const response = await fetch(new Request(url, init));
    const length = response.headers.get('Content-Length');
    const empty =
      response.status === 204 ||
      upper === 'HEAD' ||
      (length === '0' && !response.headers.get('Transfer-Encoding')?.includes('chunked'));
    if (empty) return response.ok ? { data: undefined, response } : { error: undefined, response };
    if (response.ok) return { data: await response.text(), response };
    let error: unknown = await response.text();
    try {
      error = JSON.parse(error as string);
    } catch {
      // not JSON: the text, as openapi-fetch gives it
    }
    return { error, response };
  };
}
