/** The base class of every error this client throws, so one `instanceof` check catches them all. */
export class MarketError extends Error {
  override name = 'MarketError';

  /** `JSON.stringify(error)` keeps the message and the fields (headers as a plain object) for logs. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      json[key] = value instanceof Headers ? Object.fromEntries(value) : value;
    }
    return json;
  }
}
