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
 * A redactor for `secret`: it matches the secret as is, percent-encoded (each character either way, hex
 * digits in either case) and JSON-escaped, so that an echo in a URL, a header or a body is caught.
 */
export function createRedactor(secret: string | undefined): Redactor {
  if (secret === undefined || secret.length < MIN_REDACTED_LENGTH) {
    return { text: (text) => text, value: (value) => value, headers: (headers) => headers };
  }
  const pattern = new RegExp([...secret].map(characterPattern).join(''), 'g');
  const text = (input: string) => input.replace(pattern, REDACTED);
  const value = (input: unknown): unknown => {
    if (typeof input === 'string') return text(input);
    if (Array.isArray(input)) return input.map(value);
    if (typeof input !== 'object' || input === null) return input;
    return Object.fromEntries(Object.entries(input).map(([key, item]) => [text(key), value(item)]));
  };
  const headers = (input: Headers) => {
    const copy = new Headers();
    for (const [name, item] of input) copy.append(name, text(item));
    return copy;
  };
  return { text, value, headers };
}

/** One character of the secret: itself, `%XX` (either case), or its JSON escape. */
function characterPattern(character: string): string {
  const code = character.charCodeAt(0);
  const hex = code.toString(16).toUpperCase().padStart(2, '0');
  const percent = `%${[...hex].map((digit) => (/[A-F]/.test(digit) ? `[${digit}${digit.toLowerCase()}]` : digit)).join('')}`;
  const forms = [character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), percent];
  const escaped = JSON.stringify(character).slice(1, -1);
  if (escaped !== character) forms.push(escaped.replace(/\\/g, '\\\\'));
  if (character === '/') forms.push('\\\\/');
  return `(?:${forms.join('|')})`;
}
