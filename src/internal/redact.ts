const SECRET_HEADERS: Readonly<Record<string, string>> = {
  'api-key': '[REDACTED]',
  authorization: 'Bearer [REDACTED]',
};

/** Headers as a plain object for hooks, with the credential replaced. */
export function redactedHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of headers) result[name] = SECRET_HEADERS[name] ?? value;
  return result;
}

/** Shorter credentials are not looked for in responses: they would match ordinary text. */
export const MIN_REDACTED_LENGTH = 8;
const REDACTED = '[REDACTED]';

/** Replaces the client's own credential in what the client builds from a response. */
export interface Redactor {
  text(text: string): string;
  /** A JSON value (or text) with the credential replaced in every string, keys included. */
  value(value: unknown): unknown;
  headers(headers: Headers): Headers;
}

/** The credential of the engine's request headers: the Api-Key, or the token of a Bearer Authorization. */
export function credentialOf(headers: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'api-key') return value;
    if (lower === 'authorization') return value.replace(/^Bearer /, '');
  }
  return undefined;
}

/**
 * A redactor for `secret`: it matches the secret as is and percent-encoded (hex digits in either case),
 * so that an echo in a URL, a header or a body is caught.
 */
export function createRedactor(secret: string | undefined): Redactor {
  if (secret === undefined || secret.length < MIN_REDACTED_LENGTH) {
    return { text: (text) => text, value: (value) => value, headers: (headers) => headers };
  }
  const encoded = encodeURIComponent(secret);
  const forms = [secret, encoded, encoded.replace(/%[\dA-F]{2}/g, (hex) => hex.toLowerCase())];
  const pattern = new RegExp(forms.map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const text = (input: string) => input.replace(pattern, REDACTED);
  const value = (input: unknown): unknown => {
    if (typeof input === 'string') return text(input);
    if (typeof input !== 'object' || input === null) return input;
    const entries = Object.entries(input).map(([key, item]) => [text(key), value(item)]);
    return Array.isArray(input) ? entries.map(([, item]) => item) : Object.fromEntries(entries);
  };
  const headers = (input: Headers) =>
    new Headers([...input].map(([name, item]): [string, string] => [name, text(item)]));
  return { text, value, headers };
}
