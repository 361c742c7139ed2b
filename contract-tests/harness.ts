// What every contract test file shares: the Prism address from the global setup, the spec, and a
// recording `fetch` that is injected into the public client. The recorder adds Prism's `Prefer` header
// (to pick a response code, a named example, or a dynamic response) and keeps every request and response.
// After each test, any response that carried Prism's `sl-violations` header fails that test, with the
// violations in the message, unless the test declared it expected them.
import { afterEach, beforeEach, inject } from 'vitest';
import { createMarketClient, type MarketClient, type MarketClientOptions } from '../src/index.ts';
import type { ContractContext } from './global-setup.ts';
import { type LiveConfig, readLiveConfig } from './live-config.ts';
import { loadSpec, type Spec } from './spec.ts';

export const contract: ContractContext = inject('contract');
export const isLive = contract.mode === 'live';
export const live: LiveConfig | undefined = isLive ? readLiveConfig(process.env) : undefined;
export const spec: Spec = loadSpec(contract.specPath);

/** Why a mock-only test does not run in live mode (shown in the test's name). */
export const MOCK_ONLY = isLive ? ' [skipped in live mode: needs the Prism mock (Prefer headers)]' : '';

/** Prism's `Prefer` header: which status, which named example, or a generated (seeded) response. */
export interface Prefer {
  code?: number;
  example?: string;
  dynamic?: boolean;
  seed?: string;
}

export interface Violation {
  location?: string[];
  severity?: string;
  code?: string | number;
  message?: string;
}

export interface Exchange {
  /** 1-based, over the recorder's lifetime (one test). */
  n: number;
  method: string;
  url: string;
  path: string;
  requestHeaders: Record<string, string>;
  /** The request body as text (a multipart body's binary part may not survive as text: see requestBytes). */
  requestBody: string;
  /** The request body exactly as sent. */
  requestBytes: Uint8Array;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
  /** Prism's `sl-violations`, parsed; undefined when the header was absent. */
  violations: Violation[] | undefined;
}

export interface FetchOptions {
  /**
   * The Prefer header for every request, or per request (n is 1-based within this fetch; the request is
   * the client's, e.g. to tell a first page from a next one by its `pageToken`).
   */
  prefer?: Prefer | ((n: number, request: Request) => Prefer | undefined);
  /** Last-moment changes to the outgoing headers (e.g. to drop or rename the credential). */
  editHeaders?: (headers: Headers) => void;
}

export function preferHeader(prefer: Prefer): string {
  const parts: string[] = [];
  if (prefer.code !== undefined) parts.push(`code=${prefer.code}`);
  if (prefer.example !== undefined) parts.push(`example=${prefer.example}`);
  if (prefer.dynamic !== undefined) parts.push(`dynamic=${prefer.dynamic}`);
  if (prefer.seed !== undefined) parts.push(`seed=${prefer.seed}`);
  return parts.join(', ');
}

function headersObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function parseViolations(header: string | null): Violation[] | undefined {
  if (header === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed) ? (parsed as Violation[]) : [{ message: header }];
  } catch {
    return [{ message: header }];
  }
}

export function describeViolations(exchange: Exchange): string {
  return (exchange.violations ?? [])
    .map(
      (v) =>
        `  - [${v.severity ?? '?'} ${v.code ?? '?'}] ${(v.location ?? []).join('.')}: ${v.message ?? ''}`,
    )
    .join('\n');
}

export class Recorder {
  exchanges: Exchange[] = [];
  /** Violations a test expects (and checks itself); the rest fail the test. */
  private expected: ((violation: Violation, exchange: Exchange) => boolean)[] = [];

  /** Which test the recorder serves: a fetch made for an earlier test refuses to send. */
  private generation = 0;

  reset(): void {
    this.exchanges = [];
    this.expected = [];
    this.generation++;
  }

  /** A fetch for `createMarketClient({ fetch })` that applies `options` and records every exchange. */
  fetch(options: FetchOptions = {}): typeof fetch {
    let calls = 0;
    const generation = this.generation;
    return async (input, init) => {
      if (generation !== this.generation) {
        // A client left running by a test that ended (e.g. timed out) must not send into the next one.
        throw new Error('contract-tests: a request from a test that has already ended');
      }
      calls++;
      const original = new Request(input, init);
      const requestBytes = new Uint8Array(
        original.body === null ? new ArrayBuffer(0) : await original.arrayBuffer(),
      );
      const requestBody = new TextDecoder().decode(requestBytes);
      const headers = new Headers(original.headers);
      const prefer = typeof options.prefer === 'function' ? options.prefer(calls, original) : options.prefer;
      if (prefer !== undefined && !isLive) headers.set('Prefer', preferHeader(prefer));
      options.editHeaders?.(headers);
      const request = new Request(original.url, {
        method: original.method,
        headers,
        signal: original.signal,
        redirect: original.redirect,
        ...(original.body === null ? {} : { body: requestBytes }),
      });
      const response = await fetch(request);
      const responseBody = await response.text();
      const url = new URL(request.url);
      this.exchanges.push({
        n: this.exchanges.length + 1,
        method: request.method,
        url: request.url,
        path: url.pathname,
        requestHeaders: headersObject(request.headers),
        requestBody,
        requestBytes,
        status: response.status,
        responseHeaders: headersObject(response.headers),
        responseBody,
        violations: parseViolations(response.headers.get('sl-violations')),
      });
      return new Response(responseBody, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }

  /** Declares violations this test provokes on purpose (e.g. a missing credential). */
  expectViolations(match: (violation: Violation, exchange: Exchange) => boolean): void {
    this.expected.push(match);
  }

  /** Exchanges (from index `since`) with violations nobody declared. */
  unexpectedViolations(since = 0): Exchange[] {
    return this.exchanges.slice(since).filter((exchange) => {
      const violations = exchange.violations;
      if (violations === undefined) return false;
      if (violations.length === 0) return true; // a header without content is still a violation
      return violations.some((v) => !this.expected.some((match) => match(v, exchange)));
    });
  }

  /** The text a test fails with when Prism reported violations, or undefined. */
  violationReport(since = 0): string | undefined {
    const bad = this.unexpectedViolations(since);
    if (bad.length === 0) return undefined;
    const lines = bad.map(
      (exchange) =>
        `request #${exchange.n} ${exchange.method} ${exchange.path} -> HTTP ${exchange.status}\n` +
        `  sent: ${exchange.requestBody || '(no body)'} headers ${JSON.stringify(redact(exchange.requestHeaders))}\n` +
        `  Prism's sl-violations:\n${describeViolations(exchange) || '  (empty header)'}`,
    );
    return `Prism reported violations of ${contract.specPath}:\n${lines.join('\n')}`;
  }
}

/** Hides credentials in failure messages, also under a wrong header name (CI logs are often public). */
function redact(headers: Record<string, string>): Record<string, string> {
  const secrets = Object.values(credential());
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const secret = /key|token|auth|secret/i.test(name) || secrets.some((s) => s !== '' && value.includes(s));
    out[name] = secret ? '<redacted>' : value;
  }
  return out;
}

/**
 * The recorder of the current test: reset before each test; after each, unexpected sl-violations fail it.
 * Call once at the top of a test file.
 */
export function useRecorder(): Recorder {
  const recorder = new Recorder();
  beforeEach(() => recorder.reset());
  afterEach(() => {
    const report = recorder.violationReport();
    if (report !== undefined) throw new Error(report);
  });
  return recorder;
}

export const TEST_API_KEY = 'contract-test-api-key';

/** The credential of the suite: a made-up key for the mock, the real one in live mode. */
export function credential(): { apiKey: string } | { oauthToken: string } {
  return live?.credential ?? { apiKey: TEST_API_KEY };
}

export interface ClientOptions extends FetchOptions {
  client?: Partial<MarketClientOptions>;
}

/** The public client, pointed at Prism, with the recorder's fetch. */
export function clientFor(recorder: Recorder, options: ClientOptions = {}): MarketClient {
  const fetchOptions: FetchOptions = {};
  if (options.prefer !== undefined) fetchOptions.prefer = options.prefer;
  if (options.editHeaders !== undefined) fetchOptions.editHeaders = options.editHeaders;
  const base: MarketClientOptions = {
    ...credential(),
    baseUrl: contract.baseUrl,
    fetch: recorder.fetch(fetchOptions),
    timeoutMs: 10_000,
  };
  return createMarketClient({ ...base, ...options.client } as MarketClientOptions);
}
