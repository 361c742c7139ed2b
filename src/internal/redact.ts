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
