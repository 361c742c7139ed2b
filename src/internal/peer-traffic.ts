// How busy the business's other clients are, read from the quota counter that all of them share. Each
// admitted call takes one from `X-RateLimit-Resource-Remaining`, and a response says the value as of its
// own admission: between two of our own values, every missing one is a call somebody else made. The
// gate uses it to take back slots that others stopped using, without waiting to be sure by the clock.

/** Our own recent Remaining values, per business and operation (they have one counter each). */
const KEPT = 8;

export class PeerTraffic {
  readonly #seen = new Map<string, number[]>();

  /** An admitted call of ours said `remaining`. */
  observe(businessId: number, operation: string, remaining: number): void {
    const key = `${businessId} ${operation}`;
    const values = this.#seen.get(key);
    // A value not below every one kept is a new window (each admission takes one, so a window never
    // says a value twice): the old values are from another counter.
    if (values === undefined || remaining >= Math.max(...values)) {
      this.#seen.set(key, [remaining]);
      return;
    }
    values.push(remaining);
    if (values.length > KEPT) values.shift();
  }

  /**
   * Calls others made per call of ours, over our last `gaps + 1` values; undefined until there are that
   * many. With the same work per call, it is also their share of the slots over ours.
   */
  othersPerOwn(businessId: number, operation: string, gaps: number): number | undefined {
    const values = this.#seen.get(`${businessId} ${operation}`);
    if (values === undefined || values.length <= gaps) return undefined;
    const recent = values.slice(-(gaps + 1));
    const span = Math.max(...recent) - Math.min(...recent) + 1; // every call admitted from first to last
    return Math.max(0, span - recent.length) / gaps; // a value seen twice makes no negative count
  }

  /** Forgets a business: its limit is back at the maximum, or it went idle. */
  forget(businessId: number): void {
    const prefix = `${businessId} `;
    for (const key of this.#seen.keys()) if (key.startsWith(prefix)) this.#seen.delete(key);
  }
}
