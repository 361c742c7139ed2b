// A scripted stand-in for fetch: answers each request with the next response in the script and records
// what was sent (the body read at send time, to prove every attempt carried a complete request).
export interface SentRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
  at: number;
}

export type Reply = Response | Error | ((request: Request) => Response | Promise<Response>);

export function fakeApi(...script: Reply[]) {
  const sent: SentRequest[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    sent.push({
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      body: await request.text(),
      at: Date.now(),
    });
    const reply = script[Math.min(sent.length - 1, script.length - 1)];
    if (reply === undefined) throw new Error('fakeApi: empty script');
    if (reply instanceof Error) throw reply;
    if (typeof reply === 'function') return reply(request);
    return reply.clone();
  };
  return { fetch, sent };
}

export function ok(chatId: number, headers: Record<string, string> = {}): Response {
  return json(200, { status: 'OK', result: { chatId } }, headers);
}

export function apiError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return json(status, { status: 'ERROR', errors: [{ code, message }] }, headers);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** Resolves to the error a promise rejects with, or fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ resolved: true as const, value }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  return outcome.error as Error;
}
