// startMockMarket: an in-process HTTP server that answers like the Chats section of the Partner API,
// with state (chats, messages), rate-limit headers and optional limits, checking every request against
// openapi.yaml. Breaks of the spec get the API's 401 or 400 and are recorded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Answer,
  badRequest,
  forcedAnswer,
  forcibleCodes,
  quotaUsedUp,
  tooManyInFlight,
  unauthorized,
} from './answers.ts';
import { findOperation, type OperationId, type SpecOperation } from './api-operations.ts';
import { act } from './market-actions.ts';
import { addChat, emptyState, type MarketState, type SeedChat } from './market-state.ts';
import { type MockLimits, RateLimits, rateLimitHeaders } from './rate-limits.ts';
import { checkRequest } from './request-check.ts';
import { checkSeed } from './seed-check.ts';

export interface MockMarketOptions {
  /** Chats (with their messages) the mock knows from the start. */
  seed?: { chats?: SeedChat[] };
  /** Enforce the API's limits: 4 requests in flight per business, and hourly quotas (420 beyond them). */
  limits?: MockLimits;
  /** The address to listen on: 127.0.0.1 unless given (0.0.0.0 for a container). */
  host?: string;
  /** The port: a free one unless given. */
  port?: number;
  /** The mock's clock (dates of chats and messages, quota windows); the real one unless given. */
  now?: () => Date;
}

export interface RecordedRequest {
  /** The spec's operationId, or undefined when no operation has this method and path. */
  operation: OperationId | undefined;
  method: string;
  /** The path, without the query. */
  path: string;
  query: Record<string, string>;
  /** The JSON body, `{ file: { name, size, type } }` for a file, or the text of an unreadable body. */
  body: unknown;
  /** What the request broke of the spec; empty when it was valid. */
  violations: string[];
  /** The status the mock answered. */
  status: number;
}

export interface Violation {
  operation: OperationId | undefined;
  method: string;
  path: string;
  message: string;
}

export interface FailNextOptions {
  /** Do what the call asks (store the message) and answer the code anyway. */
  afterActing?: boolean;
}

export interface MockMarket {
  /** The base URL to give the client (`baseUrl`). */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  readonly violations: readonly Violation[];
  /** The next valid call of `operation` gets `status` (an error code the spec lists for it). */
  failNext(operation: OperationId, status: number, options?: FailNextOptions): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function headersOf(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    for (const value of values as string[]) headers.append(name, value);
  }
  return headers;
}

/** The URL a client uses for a server on `host`: loopback for an any-address, brackets for IPv6. */
export function baseUrlOf(host: string, port: number): string {
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${urlHost}:${port}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startMockMarket(options: MockMarketOptions = {}): Promise<MockMarket> {
  const now = options.now ?? (() => new Date());
  const state: MarketState = emptyState();
  for (const chat of options.seed?.chats ?? []) addChat(state, chat, now().toISOString());
  checkSeed(state);
  const limits = new RateLimits(options.limits, () => now().getTime());
  const failures = new Map<OperationId, { status: number; afterActing: boolean }[]>();
  const requests: RecordedRequest[] = [];
  const violations: Violation[] = [];
  let baseUrl: string;

  async function answer(
    incoming: IncomingMessage,
  ): Promise<{ answer: Answer; headers: Record<string, string> }> {
    // A server's requests always have both.
    const url = new URL(incoming.url as string, 'http://mock.invalid');
    const method = incoming.method as string;
    const checked = await checkRequest({
      method,
      url,
      headers: headersOf(incoming),
      body: await readBody(incoming),
    });
    const operation = checked.operation;
    const record: RecordedRequest = {
      operation: operation?.operationId,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: checked.body,
      violations: checked.violations,
      status: 0,
    };
    requests.push(record);
    for (const message of checked.violations)
      violations.push({ operation: record.operation, method, path: url.pathname, message });
    if (operation === undefined) return { answer: badRequest(checked.violations), headers: {} };
    const result = await answerOperation(operation, checked);
    record.status = result.answer.status;
    return result;
  }

  async function answerOperation(
    operation: SpecOperation,
    checked: Awaited<ReturnType<typeof checkRequest>>,
  ) {
    const businessId = typeof checked.params.businessId === 'number' ? checked.params.businessId : 0;
    const reading = limits.take(businessId, operation.operationId, operation.quota);
    const entered = limits.enter(businessId);
    try {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a sleep of 0 ms only yields, the answer is the same
      if (limits.delayMs > 0) await sleep(limits.delayMs);
      const answer = decide(operation, checked, entered, reading);
      // A used-up quota reads 0 remaining (take counts no further).
      return { answer, headers: rateLimitHeaders(reading) };
    } finally {
      limits.leave(businessId);
    }
  }

  function decide(
    operation: SpecOperation,
    checked: Awaited<ReturnType<typeof checkRequest>>,
    entered: boolean,
    reading: { limit: number; exceeded: boolean },
  ): Answer {
    // Stryker disable next-line LogicalOperator,StringLiteral: an unauthorized request always has its credential problem first
    if (checked.unauthorized) return unauthorized(checked.violations[0] ?? 'Api-Key token is invalid');
    if (checked.violations.length > 0) return badRequest(checked.violations);
    if (!entered) return tooManyInFlight(limits.maxInFlight);
    if (reading.exceeded) return quotaUsedUp(operation, reading.limit);
    const input = { params: checked.params, body: checked.body, now: now().toISOString(), baseUrl };
    const failure = failures.get(operation.operationId)?.shift();
    if (failure === undefined) return act(operation.operationId, state, input);
    if (failure.afterActing) act(operation.operationId, state, input);
    return forcedAnswer(operation, failure.status);
  }

  async function listener(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    let result: { answer: Answer; headers: Record<string, string> };
    try {
      result = await answer(incoming);
    } catch (error) {
      // A defect of the mock itself: answer the API's 500 and say why.
      result = {
        answer: {
          status: 500,
          body: { status: 'ERROR', errors: [{ code: 'INTERNAL_ERROR', message: String(error) }] },
        },
        headers: {},
      };
    }
    response.writeHead(result.answer.status, { 'content-type': 'application/json', ...result.headers });
    response.end(JSON.stringify(result.answer.body));
  }

  const server = createServer((incoming, response) => void listener(incoming, response));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = baseUrlOf(host, port);

  return {
    url: baseUrl,
    requests,
    violations,
    failNext(operation, status, failOptions = {}) {
      const spec = findOperation(operation);
      if (spec === undefined)
        throw new TypeError(`failNext: operation ${String(operation)} is not in the spec`);
      const codes = forcibleCodes(spec);
      if (!codes.includes(status)) {
        throw new TypeError(
          `failNext: status ${status} is not an error code of ${operation} (the spec has ${codes.join(', ')})`,
        );
      }
      const queue = failures.get(operation) ?? [];
      queue.push({ status, afterActing: failOptions.afterActing === true });
      failures.set(operation, queue);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
