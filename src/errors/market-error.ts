/** The base class of every error this client throws, so one `instanceof` check catches them all. */
export class MarketError extends Error {
  override name = 'MarketError';

  /**
   * `JSON.stringify(error)` keeps the message and the fields (headers as a plain object) for logs, and the
   * `cause` (an error as its name, message and fields, e.g. the status and code of a DeliveryUnknownError's).
   */
  toJSON(): Record<string, unknown> {
    return errorToJSON(this, CAUSES_KEPT);
  }
}

/** How deep a chain of causes is written out: enough for ours (a MarketError, fetch's TypeError, its cause). */
const CAUSES_KEPT = 4;

function errorToJSON(error: Error, causes: number): Record<string, unknown> {
  const json: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    // A cause assigned by hand is enumerable: it is written below, within the depth, like any other.
    if (key !== 'cause') json[key] = value instanceof Headers ? Object.fromEntries(value) : value;
  }
  const { cause } = error;
  if (cause !== undefined && causes > 0) {
    json.cause = cause instanceof Error ? errorToJSON(cause, causes - 1) : plainValue(cause);
  }
  return json;
}

/** A cause that is no Error: a primitive as it is, anything else as its string (it may not serialise). */
function plainValue(value: unknown): unknown {
  // Stryker disable next-line StringLiteral: a string's String() is itself
  return value === null || ['string', 'number', 'boolean'].includes(typeof value) ? value : String(value);
}
