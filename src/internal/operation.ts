// What one API operation declares for the engine (src/internal/engine.ts): only what is its own.
// Adding an operation is one module under src/operations/ that exports such an object, plus its spec,
// generated rules and tests; the engine does the rest (auth, limits, timeouts, retries, errors, hooks).

/** How a request is made of a validated input: openapi-fetch's params and body. */
export interface OperationRequest {
  path: { businessId: number } & Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/** A 200 body read: the result, or how the body breaks the contract. */
export type ReadResult<Result> = { ok: true; value: Result } | { ok: false; problem: string };

/**
 * Reports a part of a 200 body that breaks the spec where the client does not depend on it (see the
 * `onDrift` hook): `path` like `result.chats[3].context.customer`, `expected` what the spec says.
 */
export type ReportDrift = (path: string, expected: string, got: unknown) => void;

/** What every operation's input has: the business it is for. */
export interface BusinessInput {
  businessId: number;
}

/** Type only, never set at run time: marks the input type an operation's caller passes. */
declare const callerInput: unique symbol;

/**
 * An operation that takes `Input` from its caller and gives `Result`; `Valid` is the input as `validate`
 * returns it (the same as Input unless validation normalises it). client.ts derives each method's type
 * from these.
 */
export interface Operation<Input extends BusinessInput, Result, Valid extends BusinessInput = Input> {
  /** Never set: carries `Input` for the type of the client's method (validate checks its input as unknown). */
  readonly [callerInput]?: Input;
  /** Yandex's operationId, e.g. `createChat`: names the quota and appears in every error message. */
  readonly name: string;
  readonly method: 'get' | 'post';
  /** The path template of the spec, e.g. `/v2/businesses/{businessId}/chats/new`. */
  readonly path: string;
  /**
   * `safe`: the operation may be sent again after any retryable failure (reads, and createChat, which
   * returns the existing chat). `write`: the customer would see a second attempt, so it is sent again only
   * when the API surely did not act (a 420/429, a connection refused before anything was sent).
   */
  readonly retry: 'safe' | 'write';
  /** Checks the caller's input (throwing a ValidationError that names the field) and copies the known fields. */
  validate(input: unknown): Valid;
  toRequest(valid: Valid): OperationRequest;
  /**
   * Turns the parsed JSON of a 200 into the result: strict only where the client depends on a value (the
   * envelope, a page token, an id); anything else that breaks the spec is passed through and reported.
   */
  readResult(body: unknown, drift: ReportDrift): ReadResult<Result>;
}
